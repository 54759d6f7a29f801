#include "config.h"

#include <stdio.h>

#include "app.h"

/* Placeholder until the command-line issue lands. */
int cmd_export(int argc, char **argv, const struct app_options *opt)
{
	fprintf(stderr, "guanbiao export: 尚未实现\n");
	return APP_ERROR;
}
