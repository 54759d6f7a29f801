#include "config.h"

#include <curses.h>
#include <errno.h>
#include <iconv.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libpq-fe.h>
#ifdef __GLIBC__
#include <gnu/libc-version.h>
#endif

#include "app.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv, const struct app_options *opt);
	const char *summary;
};

static const struct command commands[] = {
	{ "lookup", cmd_lookup, "按统一社会信用代码或名称查询企业的贯标、示范情况" },
	{ "export", cmd_export, "导出附件1、附件2、考核表、企业和案件清单（CSV/XLSX）" },
	{ "import", cmd_import, "从区镇报送的表格导入企业（CSV，GB18030/UTF-8）" },
	{ "report", cmd_report, "区镇考核通报（progress）" },
	{ "admin", cmd_admin, "管理：migrate、officer、programme、indicators、sample" },
};

static void usage(FILE *out)
{
	fputs("用法: guanbiao [-d 连接串] [子命令 [参数…]]\n"
	      "\n"
	      "不带子命令时打开全屏客户端。\n"
	      "\n"
	      "子命令:\n", out);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fputs("\n"
	      "选项:\n"
	      "  -d, --dbname 连接串  libpq 连接串或 URI（默认取 PG* 环境变量，数据库 guanbiao）\n"
	      "  -h, --help           显示本帮助\n"
	      "  -V, --version        显示版本和所用库\n"
	      "\n"
	      "每个子命令的用法: guanbiao 子命令 --help\n", out);
}

/* Version and the libraries actually linked, for bug reports. */
static void version(void)
{
	int pq = PQlibVersion();

	printf("guanbiao %s\n", PACKAGE_VERSION);
	printf("ncurses: %s, wide characters: %s\n", curses_version(),
#if defined(NCURSES_WIDECHAR) && NCURSES_WIDECHAR
	       "yes"
#else
	       "no"
#endif
	);
	printf("libpq: %d.%d\n", pq / 10000, pq % 10000);
#ifdef _LIBICONV_VERSION
	printf("iconv: GNU libiconv %d.%d\n", _LIBICONV_VERSION >> 8, _LIBICONV_VERSION & 0xff);
#elif defined(__GLIBC__)
	printf("iconv: glibc %s\n", gnu_get_libc_version());
#else
	printf("iconv: system\n");
#endif
}

int main(int argc, char **argv)
{
	struct app_options opt = { 0 };
	int i;

	setlocale(LC_ALL, "");
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			return APP_OK;
		} else if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
			version();
			return APP_OK;
		} else if (strcmp(a, "-d") == 0 || strcmp(a, "--dbname") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "guanbiao: %s 需要一个连接串\n", a);
				return APP_ERROR;
			}
			opt.conninfo = argv[++i];
		} else if (strncmp(a, "--dbname=", 9) == 0) {
			opt.conninfo = a + 9;
		} else if (strcmp(a, "--") == 0) {
			i++;
			break;
		} else {
			fprintf(stderr, "guanbiao: 未知选项 %s（见 guanbiao --help）\n", a);
			return APP_ERROR;
		}
	}
	if (i >= argc)
		return cmd_ui(0, argv + i, &opt);
	for (size_t c = 0; c < sizeof(commands) / sizeof(commands[0]); c++) {
		if (strcmp(argv[i], commands[c].name) == 0)
			return commands[c].run(argc - i, argv + i, &opt);
	}
	fprintf(stderr, "guanbiao: 未知子命令 %s（见 guanbiao --help）\n", argv[i]);
	return APP_ERROR;
}
