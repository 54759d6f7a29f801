#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/escape.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "ui/draw.h"

/* Put len bytes of valid, escaped UTF-8 at the current position. */
static void put_utf8(WINDOW *w, const char *s, size_t len)
{
	wchar_t buf[256];
	size_t n = 0, i = 0;

	while (i < len) {
		uint32_t cp;
		size_t used = utf8_decode(s + i, len - i, &cp);

		if (used == 0) {	/* cannot happen after escaping; be safe */
			cp = 0xFFFD;
			used = 1;
		}
		buf[n++] = (wchar_t)cp;
		i += used;
		if (n == sizeof(buf) / sizeof(buf[0]) || i >= len) {
			waddnwstr(w, buf, (int)n);
			n = 0;
		}
	}
}

void draw_fill(WINDOW *w, int y, int x, int n, attr_t attr)
{
	if (n <= 0)
		return;
	wattrset(w, attr);
	wmove(w, y, x);
	for (int i = 0; i < n; i++)
		waddch(w, ' ');
	wattrset(w, A_NORMAL);
}

/* Draw the columns [skip, skip + max) of already escaped text. */
static int draw_escaped(WINDOW *w, int y, int x, const char *e, size_t skip, size_t max,
			attr_t attr)
{
	struct width_slice sl;

	width_fit(e, skip, max, &sl);
	draw_fill(w, y, x, (int)sl.lead_pad_cols, attr);
	wattrset(w, attr);
	wmove(w, y, x + (int)sl.lead_pad_cols);
	put_utf8(w, e + sl.start_byte, sl.len_bytes);
	wattrset(w, A_NORMAL);
	draw_fill(w, y, x + (int)(sl.lead_pad_cols + sl.cols), (int)sl.trail_pad_cols, attr);
	return (int)(sl.lead_pad_cols + sl.cols + sl.trail_pad_cols);
}

int draw_text(WINDOW *w, int y, int x, const char *s, size_t skip_cols,
	      size_t max_cols, attr_t attr)
{
	char *e = escape_display(s ? s : "");
	int n = draw_escaped(w, y, x, e, skip_cols, max_cols, attr);

	free(e);
	return n;
}

void draw_cell(WINDOW *w, int y, int x, const char *s, size_t cell_cols,
	       size_t skip_cols, size_t vis_cols, enum width_align align, attr_t attr)
{
	char *e = escape_display(s ? s : "");
	char *padded = width_pad(e, cell_cols, align);
	int n = draw_escaped(w, y, x, padded, skip_cols, vis_cols, attr);

	draw_fill(w, y, x + n, (int)vis_cols - n, attr);
	free(padded);
	free(e);
}

void draw_line(WINDOW *w, int y, int x, int cols, const char *s, attr_t attr)
{
	int n;

	if (cols <= 0)
		return;
	n = draw_text(w, y, x, s, 0, (size_t)cols, attr);
	draw_fill(w, y, x + n, cols - n, attr);
}

size_t draw_cols(const char *s)
{
	return width_str_cols(s ? s : "");
}

/* True for a byte inside a Latin word (no line break wanted there). */
static bool word_byte(char c)
{
	return (unsigned char)c < 0x80 && c != ' ' && c != '\t';
}

/* True when s (len bytes) starts with one of the characters of set. */
static bool starts_with_any(const char *s, size_t len, const char *const *set)
{
	for (int i = 0; set[i]; i++) {
		size_t n = strlen(set[i]);

		if (n <= len && memcmp(s, set[i], n) == 0)
			return true;
	}
	return false;
}

/* Start of the cluster that ends at byte n of s (0 when there is none). */
static size_t cluster_before(const char *s, size_t n)
{
	size_t i = 0, last = 0, c;

	while (i < n) {
		last = i;
		i += width_cluster(s + i, n - i, &c);
	}
	return last;
}

/* Chinese line breaking: closing punctuation never starts a line, opening
 * punctuation never ends one. */
static const char *const no_line_start[] = {
	"，", "。", "、", "；", "：", "！", "？", "）", "》", "」", "』", "】", "”", "’",
	"…", ",", ".", ";", ":", "!", "?", ")", NULL,
};
static const char *const opening[] = { "（", "《", "「", "『", "【", "“", "‘", "(", NULL };

size_t draw_wrap_piece(const char *s, size_t len, size_t cols)
{
	struct width_slice sl;
	size_t n;

	width_fit_n(s, len, 0, cols, &sl);
	n = sl.len_bytes;
	if (n == 0) {
		size_t c;

		return width_cluster(s, len, &c);
	}
	if (n >= len)
		return n;
	/* A Latin word goes to the next line whole, when it does not start the piece. */
	if (word_byte(s[n - 1]) && word_byte(s[n])) {
		size_t p = n;

		while (p > 0 && word_byte(s[p - 1]))
			p--;
		if (p > 0)
			n = p;
	}
	/* A closing mark takes the character before it along (a few at most). */
	for (int i = 0; i < 3 && starts_with_any(s + n, len - n, no_line_start); i++) {
		size_t p = cluster_before(s, n);

		if (p == 0)
			break;
		n = p;
	}
	/* An opening mark goes down with what it opens. */
	while (n > 0) {
		size_t p = cluster_before(s, n);

		if (p == 0 || !starts_with_any(s + p, n - p, opening))
			break;
		n = p;
	}
	return n;
}

/* The groups of a keys line are separated by two spaces. */
#define KEYS_SEP "  "

char *draw_fit_keys(const char *keys, size_t cols)
{
	const char *help = strstr(keys, KEYS_SEP "? ") ? strstr(keys, KEYS_SEP "? ") :
			   strstr(keys, KEYS_SEP "F1 ");
	size_t help_cols, len = strlen(keys);
	const char *p = keys, *fit_end = keys;
	char *out;

	if (draw_cols(keys) <= cols)
		return xstrdup(keys);
	/* The part that must stay: "? 帮助" and what follows it. */
	help = help ? help + strlen(KEYS_SEP) : keys + len;
	help_cols = draw_cols(help) + draw_cols(KEYS_SEP "…" KEYS_SEP);
	while (p < help) {
		const char *sep = strstr(p, KEYS_SEP);
		const char *end = sep && sep < help ? sep : help;
		size_t upto = width_strn_cols(keys, (size_t)(end - keys));

		if (end == help || upto + help_cols > cols)
			break;
		fit_end = end;
		p = end + strlen(KEYS_SEP);
	}
	if (help_cols + width_strn_cols(keys, (size_t)(fit_end - keys)) > cols || help == keys + len)
		return width_truncate(keys, cols);	/* too narrow for even that */
	out = xasprintf("%.*s%s…%s%s", (int)(fit_end - keys), keys, fit_end > keys ? KEYS_SEP : "",
			KEYS_SEP, help);
	return out;
}
