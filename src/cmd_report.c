#include "config.h"

#include <stdio.h>

#include "app.h"

/* Placeholder until the command-line issue lands. */
int cmd_report(int argc, char **argv, const struct app_options *opt)
{
	fprintf(stderr, "guanbiao report: 尚未实现\n");
	return APP_ERROR;
}
