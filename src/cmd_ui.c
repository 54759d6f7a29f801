#include "config.h"

#include <stdio.h>

#include "app.h"

/* Placeholder until the full-screen client issue lands. */
int cmd_ui(int argc, char **argv, const struct app_options *opt)
{
	fprintf(stderr, "guanbiao: 全屏客户端尚未实现\n");
	return APP_ERROR;
}
