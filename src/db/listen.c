#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/xalloc.h"
#include "db/listen.h"

/* Backoff between reconnect attempts, in milliseconds. */
#define LISTEN_BACKOFF_FIRST_MS 250
#define LISTEN_BACKOFF_MAX_MS 4000

struct listen_req {
	struct listen_req *next;
	const void *owner;
	char *sql;
	char **params;
	int nparams;
	listen_done_fn done;	/* NULL once cancelled */
	bool interrupted;	/* not to be sent: answered with 57014 instead */
	void *ctx;
	void (*free_ctx)(void *ctx);
};

struct listen_note {
	struct listen_note *next;
	char *payload;
};

struct listen_conn {
	char *conninfo;
	char *channel;
	char *setup_sql;	/* run after every connect, or NULL */
	PGconn *conn;		/* NULL while disconnected */
	struct listen_req *head, *tail;
	bool in_flight;		/* head has been sent */
	PGresult *result;	/* result collected for the head so far */
	struct listen_note *notes, *notes_tail;
	unsigned events;
	long long next_retry_ms;
	int backoff_ms;
};

/* Monotonic clock in milliseconds, for the backoff. */
static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void send_next(struct listen_conn *lc);

static void req_free(struct listen_req *r)
{
	if (r->done == NULL && r->free_ctx != NULL)
		r->free_ctx(r->ctx);
	for (int i = 0; i < r->nparams; i++)
		free(r->params[i]);
	free(r->params);
	free(r->sql);
	free(r);
}

/* Remove the head of the queue and call its callback (if still wanted). */
static void finish_head(struct listen_conn *lc, const PGresult *res,
			const struct db_error *err)
{
	struct listen_req *r = lc->head;

	lc->head = r->next;
	if (lc->head == NULL)
		lc->tail = NULL;
	lc->in_flight = false;
	if (r->done != NULL) {
		r->done(r->ctx, res, err);
		r->free_ctx = NULL;	/* done owns ctx */
	}
	req_free(r);
}

/* The setup statements and LISTEN on the channel in one round trip; the
 * name is quoted as an identifier, never spliced raw. */
static bool do_listen(struct listen_conn *lc, struct db_error *err)
{
	char *ident = PQescapeIdentifier(lc->conn, lc->channel, strlen(lc->channel));
	char *sql;
	bool ok;

	if (ident == NULL) {
		db_error_from_result(NULL, lc->conn, err);
		return false;
	}
	sql = xasprintf("%s%sLISTEN %s", lc->setup_sql ? lc->setup_sql : "",
			lc->setup_sql ? "; " : "", ident);
	PQfreemem(ident);
	ok = db_exec_script(lc->conn, sql, err);
	free(sql);
	return ok;
}

/* Connect and listen; on success the connection is non-blocking. */
static bool try_connect(struct listen_conn *lc, struct db_error *err)
{
	lc->conn = db_connect(lc->conninfo, err);
	if (lc->conn == NULL)
		return false;
	if (!do_listen(lc, err) || PQsetnonblocking(lc->conn, 1) != 0) {
		if (err->message == NULL)
			db_error_from_result(NULL, lc->conn, err);
		PQfinish(lc->conn);
		lc->conn = NULL;
		return false;
	}
	return true;
}

struct listen_conn *listen_open(const char *conninfo, const char *channel,
				const char *setup_sql, struct db_error *err)
{
	struct listen_conn *lc = xcalloc(1, sizeof(*lc));

	lc->setup_sql = setup_sql ? xstrdup(setup_sql) : NULL;
	lc->conninfo = xstrdup(conninfo ? conninfo : "");
	lc->channel = xstrdup(channel);
	lc->backoff_ms = LISTEN_BACKOFF_FIRST_MS;
	if (!try_connect(lc, err)) {
		listen_close(&lc);
		return NULL;
	}
	return lc;
}

void listen_close(struct listen_conn **lcp)
{
	struct listen_conn *lc = *lcp;

	if (lc == NULL)
		return;
	while (lc->head != NULL) {
		struct listen_req *r = lc->head;

		lc->head = r->next;
		r->done = NULL;
		req_free(r);
	}
	while (lc->notes != NULL) {
		struct listen_note *n = lc->notes;

		lc->notes = n->next;
		free(n->payload);
		free(n);
	}
	PQclear(lc->result);
	PQfinish(lc->conn);
	free(lc->conninfo);
	free(lc->channel);
	free(lc->setup_sql);
	free(lc);
	*lcp = NULL;
}

PGconn *listen_pgconn(struct listen_conn *lc)
{
	return lc->conn;
}

bool listen_up(const struct listen_conn *lc)
{
	return lc->conn != NULL;
}

int listen_socket(const struct listen_conn *lc)
{
	return lc->conn ? PQsocket(lc->conn) : -1;
}

bool listen_wants_write(const struct listen_conn *lc)
{
	return lc->conn != NULL && PQisnonblocking(lc->conn) && lc->in_flight &&
	       PQflush(lc->conn) == 1;
}

int listen_timeout_ms(const struct listen_conn *lc)
{
	long long left;

	if (lc->conn != NULL)
		return -1;
	if (lc->head != NULL)
		return 0;	/* queued statements wait to be failed */
	left = lc->next_retry_ms - now_ms();
	return left < 0 ? 0 : (int)left;
}

int listen_retry_in_s(const struct listen_conn *lc)
{
	long long left;

	if (lc->conn != NULL)
		return 0;
	left = lc->next_retry_ms - now_ms();
	return left <= 0 ? 0 : (int)((left + 999) / 1000);
}

void listen_send(struct listen_conn *lc, const void *owner, const char *sql,
		 int nparams, const char *const *params, listen_done_fn done, void *ctx)
{
	listen_send_ex(lc, owner, sql, nparams, params, done, ctx, NULL);
}

void listen_send_ex(struct listen_conn *lc, const void *owner, const char *sql,
		    int nparams, const char *const *params, listen_done_fn done,
		    void *ctx, void (*free_ctx)(void *ctx))
{
	struct listen_req *r = xcalloc(1, sizeof(*r));

	r->owner = owner;
	r->sql = xstrdup(sql);
	r->nparams = nparams;
	r->params = xcalloc(nparams > 0 ? (size_t)nparams : 1, sizeof(char *));
	for (int i = 0; i < nparams; i++)
		r->params[i] = params[i] ? xstrdup(params[i]) : NULL;
	r->done = done;
	r->ctx = ctx;
	r->free_ctx = free_ctx;
	if (lc->tail != NULL)
		lc->tail->next = r;
	else
		lc->head = r;
	lc->tail = r;
	send_next(lc);
}

void listen_cancel(struct listen_conn *lc, const void *owner)
{
	for (struct listen_req *r = lc->head; r != NULL; r = r->next) {
		if (r->owner == owner)
			r->done = NULL;
	}
}

/* One statement runs at a time and the next is sent only after this one's
 * result is read, so a cancel that arrives late finds the backend idle,
 * where the server ignores it: it cannot stop a later statement.  A
 * statement still queued is not sent at all. */
bool listen_interrupt(struct listen_conn *lc, const void *ctx)
{
	PGcancel *c;
	char msg[256];
	bool ok;

	for (struct listen_req *r = lc->head; r != NULL; r = r->next) {
		if (r->ctx == ctx && r->done != NULL && !(r == lc->head && lc->in_flight)) {
			r->interrupted = true;
			return true;
		}
	}
	if (lc->conn == NULL || !lc->in_flight || lc->head == NULL || lc->head->ctx != ctx)
		return false;
	c = PQgetCancel(lc->conn);
	if (c == NULL)
		return false;
	ok = PQcancel(c, msg, sizeof(msg)) == 1;
	PQfreeCancel(c);
	return ok;
}

int listen_pending(const struct listen_conn *lc)
{
	int n = 0;

	for (const struct listen_req *r = lc->head; r != NULL; r = r->next)
		n++;
	return n;
}

/* The connection broke: drop it, fail every queued statement, plan a retry. */
static void lose(struct listen_conn *lc)
{
	struct db_error err = { 0 };
	bool running = lc->in_flight;

	PQclear(lc->result);
	lc->result = NULL;
	PQfinish(lc->conn);
	lc->conn = NULL;
	lc->in_flight = false;
	lc->events |= LISTEN_EV_LOST;
	lc->backoff_ms = LISTEN_BACKOFF_FIRST_MS;
	lc->next_retry_ms = now_ms() + lc->backoff_ms;
	/* The statement that was running may or may not have committed. */
	if (lc->head != NULL && running) {
		err.message = xstrdup("与数据库的连接中断：刚才的操作是否完成未知，重新连接后请核对");
		finish_head(lc, NULL, &err);
		db_error_clear(&err);
	}
	err.message = xstrdup("与数据库的连接中断，正在重新连接");
	while (lc->head != NULL)
		finish_head(lc, NULL, &err);
	db_error_clear(&err);
}

/* Send the head of the queue when nothing runs. */
static void send_next(struct listen_conn *lc)
{
	struct listen_req *r;

	while (lc->conn != NULL && !lc->in_flight && lc->head != NULL) {
		r = lc->head;
		if (r->done == NULL) {
			finish_head(lc, NULL, NULL);
			continue;
		}
		if (r->interrupted) {
			struct db_error err = { .sqlstate = "57014" };

			err.message = xstrdup("查询已取消");
			finish_head(lc, NULL, &err);
			db_error_clear(&err);
			continue;
		}
		if (!PQsendQueryParams(lc->conn, r->sql, r->nparams, NULL,
				       (const char *const *)r->params, NULL, NULL, 0)) {
			if (PQstatus(lc->conn) == CONNECTION_BAD) {
				lose(lc);
				return;
			}
			struct db_error err = { 0 };

			db_error_from_result(NULL, lc->conn, &err);
			finish_head(lc, NULL, &err);
			db_error_clear(&err);
			continue;
		}
		lc->in_flight = true;
		PQflush(lc->conn);
	}
}

/* Collect results of the running statement; call back when it is complete. */
static void read_results(struct listen_conn *lc)
{
	while (lc->conn != NULL && lc->in_flight && !PQisBusy(lc->conn)) {
		PGresult *r = PQgetResult(lc->conn);

		if (r != NULL) {
			ExecStatusType st = PQresultStatus(r);
			bool bad = st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK;

			if (lc->result == NULL || bad) {
				PQclear(lc->result);
				lc->result = r;
			} else {
				PQclear(r);
			}
			continue;
		}
		PGresult *res = lc->result;
		ExecStatusType st = PQresultStatus(res);

		lc->result = NULL;
		if (res != NULL && (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)) {
			finish_head(lc, res, NULL);
		} else {
			struct db_error err = { 0 };

			db_error_from_result(res, lc->conn, &err);
			finish_head(lc, NULL, &err);
			db_error_clear(&err);
		}
		PQclear(res);
		send_next(lc);
	}
}

/* Move the notifications libpq has received into our queue. */
static void take_notifies(struct listen_conn *lc)
{
	PGnotify *n;

	while (lc->conn != NULL && (n = PQnotifies(lc->conn)) != NULL) {
		if (strcmp(n->relname, lc->channel) == 0) {
			struct listen_note *note = xcalloc(1, sizeof(*note));

			note->payload = xstrdup(n->extra ? n->extra : "");
			if (lc->notes_tail != NULL)
				lc->notes_tail->next = note;
			else
				lc->notes = note;
			lc->notes_tail = note;
		}
		PQfreemem(n);
	}
}

/* While disconnected: fail what was queued, and reconnect when it is time. */
static void poll_down(struct listen_conn *lc)
{
	struct db_error err = { 0 };

	if (lc->head != NULL) {
		err.message = xstrdup("未连接数据库，正在重新连接");
		while (lc->head != NULL)
			finish_head(lc, NULL, &err);
		db_error_clear(&err);
	}
	if (now_ms() < lc->next_retry_ms)
		return;
	if (try_connect(lc, &err)) {
		lc->events |= LISTEN_EV_RESTORED;
		lc->backoff_ms = LISTEN_BACKOFF_FIRST_MS;
	} else {
		lc->backoff_ms *= 2;
		if (lc->backoff_ms > LISTEN_BACKOFF_MAX_MS)
			lc->backoff_ms = LISTEN_BACKOFF_MAX_MS;
		lc->next_retry_ms = now_ms() + lc->backoff_ms;
	}
	db_error_clear(&err);
}

void listen_poll(struct listen_conn *lc)
{
	if (lc->conn == NULL) {
		poll_down(lc);
		if (lc->conn == NULL)
			return;
	}
	if (!PQconsumeInput(lc->conn) || PQstatus(lc->conn) == CONNECTION_BAD) {
		take_notifies(lc);
		lose(lc);
		return;
	}
	if (lc->in_flight && PQflush(lc->conn) < 0) {
		lose(lc);
		return;
	}
	take_notifies(lc);
	read_results(lc);
	take_notifies(lc);
	send_next(lc);
}

char *listen_next_payload(struct listen_conn *lc)
{
	struct listen_note *n = lc->notes;
	char *p;

	if (n == NULL)
		return NULL;
	lc->notes = n->next;
	if (lc->notes == NULL)
		lc->notes_tail = NULL;
	p = n->payload;
	free(n);
	return p;
}

unsigned listen_take_events(struct listen_conn *lc)
{
	unsigned e = lc->events;

	lc->events = 0;
	return e;
}

/* Position just after "key": in a flat JSON object, or NULL. */
static const char *json_after_key(const char *s, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = strchr(s, '"'); p != NULL; p = strchr(p + 1, '"')) {
		if (strncmp(p + 1, key, n) == 0 && p[n + 1] == '"') {
			p += n + 2;
			while (*p == ' ')
				p++;
			if (*p != ':')
				continue;
			p++;
			while (*p == ' ')
				p++;
			return p;
		}
	}
	return NULL;
}

/* The "table" string of a payload into table; false when missing. */
static bool payload_table(const char *payload, char *table, size_t table_size)
{
	const char *t = json_after_key(payload, "table");
	size_t n = 0;

	if (t == NULL || *t != '"' || table_size == 0)
		return false;
	for (t++; *t && *t != '"' && n + 1 < table_size; t++)
		table[n++] = *t;
	table[n] = '\0';
	return true;
}

bool listen_parse_payload(const char *payload, char *table, size_t table_size,
			  long long *id)
{
	const char *i = json_after_key(payload, "id");
	char *end;

	if (i == NULL || !payload_table(payload, table, table_size))
		return false;
	if (*i == '"')
		i++;
	*id = strtoll(i, &end, 10);
	return end != i;
}

bool listen_parse_bulk(const char *payload, char *table, size_t table_size,
		       long long *count)
{
	const char *b = json_after_key(payload, "bulk");
	const char *c = json_after_key(payload, "count");

	if (b == NULL || strncmp(b, "true", 4) != 0 ||
	    !payload_table(payload, table, table_size))
		return false;
	*count = c != NULL ? strtoll(c, NULL, 10) : 0;
	return true;
}
