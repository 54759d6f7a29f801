/* Recording in place from the enterprise screen and the review (issue 4,
 * "The enterprise"): the score tree of a case's evaluation (maximum, self
 * and acceptance columns, subtotals per category and the total) with a leaf
 * edited in place; forms for visits, credit checks, 示范 supervision events
 * and materials; the "登记" menu of what the database lets this officer
 * record, and "为什么" — the database's rule explanations — for everyone.
 * Also the compare-and-set conflict dialog every form here shares. */
#ifndef GB_RECORD_H
#define GB_RECORD_H

#include <curses.h>
#include <stdbool.h>
#include <time.h>

#include "db/db.h"
#include "ui/client.h"
#include "ui/table.h"

/* ---------------------------------------------------------------- checks */

/* True when s is a date YYYY-MM-DD that exists (out may be NULL). */
bool record_parse_date(const char *s, struct tm *out);

/* Check a typed score against a leaf's maximum (both as text): empty is
 * fine (it clears the score); otherwise a number >= 0, <= max, with at most
 * two decimals.  Returns NULL when fine, else a message starting with label.
 * Caller frees. */
char *record_score_check(const char *label, const char *text, const char *max);

/* A refusal or error from the database for an officer, in Chinese: the
 * rule's message for our GB codes, and words for the backstops (permission,
 * constraints) that a well-behaved client should not meet.  Caller frees. */
char *record_error_text(const struct db_error *err);

/* ---------------------------------------------------------------- conflict */

/* Called with the officer's choice in the conflict dialog: reapply true
 * ("a": save mine on top of the latest version), false ("r": reload theirs). */
typedef void (*record_conflict_fn)(struct client *cl, void *ctx, bool reapply);

/* The version conflict dialog (GB004): who, when and which fields from
 * err; r reloads theirs, a re-applies mine, Esc goes back to the form. */
struct screen *record_conflict(struct client *cl, const struct db_error *err,
			       record_conflict_fn fn, void *ctx);

/* ---------------------------------------------------------------- score tree */

enum { SCORE_CODE, SCORE_TITLE, SCORE_MAX, SCORE_SELF, SCORE_ACC, SCORE_SELF_NOTE,
       SCORE_ACC_NOTE, SCORE_NCOLS };

struct score_line {
	int level;		/* 1..3 the indicator's, 0 the total */
	char *indicator_id;	/* "" for the total */
	char *version;		/* the score row's version, "" when none */
	char *cells[SCORE_NCOLS];
};

/* The indicator tree of one evaluation as a table. */
struct score_tree {
	struct score_line *lines;
	int n;
	struct table_col cols[SCORE_NCOLS];	/* sized to the lines on each draw */
	struct table table;
};

void score_tree_init(struct score_tree *t);
void score_tree_clear(struct score_tree *t);

/* Append a line (cells copied; the title is indented by level here). */
void score_tree_add(struct score_tree *t, int level, const char *indicator_id,
		    const char *version, const char *const cells[SCORE_NCOLS]);

/* Draw the tree in h lines of width columns (header, then the lines). */
void score_tree_draw(struct score_tree *t, WINDOW *w, int y, int x, int h, int width);

/* Open the score tree of case_id ("gb" or "demo") of enterprise eid. */
void record_scores_open(struct client *cl, const char *kind, const char *case_id,
			const char *eid);

/* ---------------------------------------------------------------- records */

/* "登记": a menu of what this officer may record for enterprise eid (from
 * the database); a refused item shows why.  tag: the selected line's tag
 * ("demo:ID" picks the 示范 case; may be NULL). */
void record_menu(struct client *cl, const char *eid, const char *tag);

/* Enter on a line of the enterprise screen or the review whose tag says
 * how it is recorded ("scores:…", "mat:…", "demo:…").  Returns false
 * when the tag is not one of these. */
bool record_line(struct client *cl, const char *eid, const char *tag);

/* "为什么": the database's explanation of the 贯标/示范 rules for eid and
 * of what this officer may record; open to every officer. */
void record_why(struct client *cl, const char *eid);

/* The explanation of one target (gb_apply, gb_acceptance, demo_suzhou,
 * demo_province) for eid in the client's year, as a dialog. */
void record_explain(struct client *cl, const char *eid, const char *target);

#endif
