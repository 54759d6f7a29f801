#include "config.h"

#include <stdio.h>

#include "app.h"
#include "ui/client.h"

/* The full-screen client: everything happens in ui/client.c. */
int cmd_ui(int argc, char **argv, const struct app_options *opt)
{
	if (argc > 0) {
		fprintf(stderr, "guanbiao: 全屏客户端不接受参数\n");
		return APP_ERROR;
	}
	return client_run(opt->conninfo);
}
