/* One asynchronous libpq connection for the full-screen client: a queue of
 * parameterised statements answered through callbacks, LISTEN for change
 * notifications, and reconnection with backoff when the server goes away.
 * Every statement runs on its own (autocommit): no transaction is ever left
 * open while the program waits for a key.  No curses here. */
#ifndef GB_LISTEN_H
#define GB_LISTEN_H

#include <stdbool.h>
#include <stddef.h>
#include <libpq-fe.h>

#include "db/db.h"

struct listen_conn;

/* Called once per statement: res on success (owned by the connection,
 * valid during the call only), otherwise err. */
typedef void (*listen_done_fn)(void *ctx, const PGresult *res, const struct db_error *err);

/* Events reported by listen_take_events(). */
enum {
	LISTEN_EV_LOST = 1,	/* the connection broke; reconnecting */
	LISTEN_EV_RESTORED = 2,	/* reconnected and listening again: refresh fully */
};

/* Connect with conninfo (see db_connect), run setup_sql (session settings,
 * may be NULL) and LISTEN on channel; the same again after each reconnect.
 * Returns NULL with err filled when the first connection fails. */
struct listen_conn *listen_open(const char *conninfo, const char *channel,
				const char *setup_sql, struct db_error *err);

/* Close the connection, dropping queued statements without calling back. */
void listen_close(struct listen_conn **lc);

/* The libpq connection for short synchronous statements before the event
 * loop starts (NULL while disconnected). */
PGconn *listen_pgconn(struct listen_conn *lc);

/* True while connected. */
bool listen_up(const struct listen_conn *lc);

/* Socket to poll for reading, -1 while disconnected. */
int listen_socket(const struct listen_conn *lc);

/* True when libpq has output still to flush (poll for writing too). */
bool listen_wants_write(const struct listen_conn *lc);

/* Milliseconds until listen_poll() must run again (reconnect attempt),
 * or -1 when only socket activity matters. */
int listen_timeout_ms(const struct listen_conn *lc);

/* Queue sql with text parameters (copied; NULL entries are SQL NULL).
 * owner groups statements so that listen_cancel() can drop them; done is
 * called from listen_poll() (or at once with an error while disconnected). */
void listen_send(struct listen_conn *lc, const void *owner, const char *sql,
		 int nparams, const char *const *params, listen_done_fn done, void *ctx);

/* Like listen_send, and when the statement is cancelled (listen_cancel,
 * listen_close) free_ctx(ctx) is called instead of done. */
void listen_send_ex(struct listen_conn *lc, const void *owner, const char *sql,
		    int nparams, const char *const *params, listen_done_fn done,
		    void *ctx, void (*free_ctx)(void *ctx));

/* Forget the callbacks of every statement queued by owner (a statement
 * already sent still runs; its result is discarded). */
void listen_cancel(struct listen_conn *lc, const void *owner);

/* Stop the statement with this ctx: the server is asked to cancel it when
 * it runs, and it is not sent when still queued; either way its done gets
 * an error with SQLSTATE 57014.  For a read that a newer one makes
 * useless.  False when there is no such statement (answered or unknown). */
bool listen_interrupt(struct listen_conn *lc, const void *ctx);

/* Number of statements queued or running. */
int listen_pending(const struct listen_conn *lc);

/* Do the work: read what arrived, call back for finished statements, send
 * the next, and while disconnected try to reconnect when the backoff says
 * so.  Call when the socket is readable/writable or the timeout passed. */
void listen_poll(struct listen_conn *lc);

/* Take the next notification payload on the channel, or NULL.  Caller frees. */
char *listen_next_payload(struct listen_conn *lc);

/* LISTEN_EV_* bits that happened since the last call. */
unsigned listen_take_events(struct listen_conn *lc);

/* Time of the next reconnect attempt in seconds from now (0 when up);
 * for the status line. */
int listen_retry_in_s(const struct listen_conn *lc);

/* Read the table name and record id from a gb_change payload such as
 * {"table":"enterprise","id":123,"version":4}.  False when either is missing. */
bool listen_parse_payload(const char *payload, char *table, size_t table_size,
			  long long *id);

/* A statement that changed many rows sends one payload without an id:
 * {"table":"enterprise","bulk":true,"count":1000}.  True for such a
 * payload, with the table and the count (0 when not given). */
bool listen_parse_bulk(const char *payload, char *table, size_t table_size,
		       long long *count);

#endif
