#include "config.h"

#include <stdio.h>

#include "app.h"

/* Placeholder until the command-line issue lands. */
int cmd_import(int argc, char **argv, const struct app_options *opt)
{
	fprintf(stderr, "guanbiao import: 尚未实现\n");
	return APP_ERROR;
}
