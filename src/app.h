/* The program's subcommands.  Each lives in its own cmd_*.c file and gets
 * the arguments after its name (argv[0] is the subcommand's name). */
#ifndef GB_APP_H
#define GB_APP_H

/* Options that come before the subcommand. */
struct app_options {
	const char *conninfo;	/* -d CONNINFO, or NULL for the PG* environment */
};

/* Exit statuses shared by the subcommands. */
enum {
	APP_OK = 0,
	APP_NOT_FOUND = 1,	/* lookups: nothing matched; client: not an officer */
	APP_ERROR = 2,		/* bad usage, bad input, database refused */
};

int cmd_admin(int argc, char **argv, const struct app_options *opt);
int cmd_lookup(int argc, char **argv, const struct app_options *opt);
int cmd_export(int argc, char **argv, const struct app_options *opt);
int cmd_import(int argc, char **argv, const struct app_options *opt);
int cmd_report(int argc, char **argv, const struct app_options *opt);
/* The full-screen client (no subcommand). */
int cmd_ui(int argc, char **argv, const struct app_options *opt);

#endif
