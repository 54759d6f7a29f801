#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "core/width.h"
#include "ui/term.h"

volatile sig_atomic_t term_sig_resize;
volatile sig_atomic_t term_sig_quit;
struct term_theme term_theme;

static int self_pipe[2] = { -1, -1 };
static bool started;

/* Signal handler: note the signal and wake the loop; nothing else. */
static void on_signal(int sig)
{
	int saved = errno;
	char c = (char)sig;

	if (sig == SIGWINCH)
		term_sig_resize = 1;
	else
		term_sig_quit = sig;
	if (self_pipe[1] >= 0)
		(void)!write(self_pipe[1], &c, 1);
	errno = saved;
}

static void set_nonblock_cloexec(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
}

/* Install the handlers for resize and the signals that end the program. */
static void install_signals(void)
{
	struct sigaction sa;
	const int quit[] = { SIGTERM, SIGHUP, SIGINT, SIGQUIT };

	if (pipe(self_pipe) == 0) {
		set_nonblock_cloexec(self_pipe[0]);
		set_nonblock_cloexec(self_pipe[1]);
	}
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	sigaction(SIGWINCH, &sa, NULL);
	for (size_t i = 0; i < sizeof(quit) / sizeof(quit[0]); i++)
		sigaction(quit[i], &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

/* Terminal modes shared by the real and the test screens. */
static void set_modes(void)
{
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	define_key("\033[200~", TERM_KEY_PASTE_BEGIN);
	define_key("\033[201~", TERM_KEY_PASTE_END);
	term_theme_init();
}

bool term_start(void)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return false;
	if (newterm(NULL, stdout, stdin) == NULL)
		return false;
	started = true;
	atexit(term_stop);
	set_modes();
	install_signals();
	/* Bracketed paste: pasted text arrives between the two markers. */
	fputs("\033[?2004h", stdout);
	fflush(stdout);
	return true;
}

SCREEN *term_start_test(FILE *out, FILE *in, int rows, int cols)
{
	SCREEN *s;
	char r[16], c[16];

	snprintf(r, sizeof(r), "%d", rows);
	snprintf(c, sizeof(c), "%d", cols);
	setenv("LINES", r, 1);
	setenv("COLUMNS", c, 1);
	s = newterm("xterm-256color", out, in);
	if (s == NULL)
		s = newterm("vt100", out, in);
	if (s != NULL)
		set_modes();
	return s;
}

void term_stop(void)
{
	if (!started)
		return;
	started = false;
	fputs("\033[?2004l", stdout);
	fflush(stdout);
	endwin();
}

/* Colours unless NO_COLOR is set or the terminal has fewer than 8. */
static bool want_colour(void)
{
	const char *nc = getenv("NO_COLOR");

	return (nc == NULL || nc[0] == '\0') && has_colors() && start_color() == OK &&
	       COLORS >= 8;
}

void term_theme_init(void)
{
	struct term_theme *t = &term_theme;
	const char *cs = nl_langinfo(CODESET);
	const char *ascii = getenv("GUANBIAO_ASCII");

	memset(t, 0, sizeof(*t));
	/* Line drawing is East Asian ambiguous too: ASCII where it may be wide. */
	t->ascii = (ascii != NULL && ascii[0] == '1') || cs == NULL || strcmp(cs, "UTF-8") != 0 ||
		   width_ambiguous_wide();
	t->normal = A_NORMAL;
	t->header = A_BOLD | A_UNDERLINE;
	t->cursor = A_REVERSE;
	t->marked = A_BOLD;
	t->title = A_REVERSE;
	t->status = A_REVERSE;
	t->error = A_BOLD;
	t->ok = A_NORMAL;
	t->warn = A_BOLD;
	t->dim = A_DIM;
	t->bar_done = A_REVERSE;
	t->bar_todo = A_NORMAL;
	t->tab = A_REVERSE;
	t->tab_active = A_BOLD;
	t->overdue = A_BOLD | A_UNDERLINE;
	if (!want_colour())
		return;
	use_default_colors();
	init_pair(1, COLOR_WHITE, COLOR_BLUE);
	init_pair(2, COLOR_RED, -1);
	init_pair(3, COLOR_GREEN, -1);
	init_pair(4, COLOR_YELLOW, -1);
	init_pair(5, COLOR_BLACK, COLOR_CYAN);
	init_pair(6, COLOR_WHITE, COLOR_GREEN);
	t->title = COLOR_PAIR(1) | A_BOLD;
	t->status = COLOR_PAIR(1);
	t->tab = COLOR_PAIR(1);
	t->error = COLOR_PAIR(2) | A_BOLD;
	t->overdue = COLOR_PAIR(2) | A_BOLD;
	t->ok = COLOR_PAIR(3);
	t->warn = COLOR_PAIR(4) | A_BOLD;
	t->cursor = COLOR_PAIR(5);
	t->bar_done = COLOR_PAIR(6);
	t->marked = COLOR_PAIR(4) | A_BOLD;
}

int term_pipe_fd(void)
{
	return self_pipe[0];
}

void term_drain_pipe(void)
{
	char buf[64];

	while (self_pipe[0] >= 0 && read(self_pipe[0], buf, sizeof(buf)) > 0)
		;
}

bool term_apply_resize(void)
{
	struct winsize ws;

	term_sig_resize = 0;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0 || ws.ws_row == 0 || ws.ws_col == 0)
		return false;
	if (ws.ws_row == LINES && ws.ws_col == COLS)
		return false;
	resize_term(ws.ws_row, ws.ws_col);
	return true;
}

/* ASCII on purpose: arrows are East Asian ambiguous and take two columns
 * in terminals set up for CJK, one in others. */
const char *term_sort_mark(bool desc)
{
	return desc ? "v" : "^";
}
