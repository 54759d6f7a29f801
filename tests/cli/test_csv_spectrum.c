/* The csv-spectrum acid tests: every csvs/NAME.csv in
 * $GB_TESTDATA/csv-spectrum parses to the records in
 * json/NAME.json (an array of objects, header names as keys).  The files
 * are read where they are, never copied into the repository. */
#include "config.h"

#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/csv.h"
#include "core/xalloc.h"

#define MAX_FILES 64

/* Known defects of the published set, checked as they are: the expected
 * JSON of location_coordinates carries another phone number than its CSV. */
static const struct erratum {
	const char *file, *key, *csv_value, *json_value;
} errata[] = {
	{ "location_coordinates", "Contact Phone Number", "2095257564", "1234567890" },
};

struct pair {
	char *key, *value;
};

struct object {
	struct pair *pairs;
	size_t n;
};

struct doc {
	struct object *objs;
	size_t n;
};

/* The shared public test sets: $GB_TESTDATA (set by configure, default
 * ../shared/testdata beside the source tree), never a copy in the repo. */
static char *spectrum_dir(void)
{
	const char *data = getenv("GB_TESTDATA");
	const char *top = getenv("top_srcdir");

	if (data != NULL && data[0] != '\0')
		return xasprintf("%s/csv-spectrum", data);
	return xasprintf("%s/../shared/testdata/csv-spectrum", top ? top : "..");
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct csv_out o = { 0 };
	char chunk[4096];
	size_t n;

	if (f == NULL)
		fail_msg("cannot open %s", path);
	csv_out_append(&o, "", 0);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		csv_out_append(&o, chunk, n);
	fclose(f);
	*len = o.len;
	return o.data;
}

/* --- a small JSON reader: arrays of objects with string values --- */

static void skip_ws(const char **p)
{
	while (**p == ' ' || **p == '\n' || **p == '\r' || **p == '\t')
		(*p)++;
}

static unsigned hex4(const char *p)
{
	unsigned v = 0;

	for (int i = 0; i < 4; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			fail_msg("bad \\u escape in JSON");
	}
	return v;
}

/* UTF-8 bytes of a code point from a \u escape. */
static size_t put_utf8(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* A JSON string at *p (at its opening quote), unescaped.  Caller frees. */
static char *json_string(const char **p)
{
	struct csv_out o = { 0 };

	skip_ws(p);
	if (**p != '"')
		fail_msg("JSON: string expected at \"%.20s\"", *p);
	(*p)++;
	csv_out_append(&o, "", 0);
	while (**p != '"') {
		char c = *(*p)++;

		if (c == '\0')
			fail_msg("JSON: unterminated string");
		if (c != '\\') {
			csv_out_append(&o, &c, 1);
			continue;
		}
		c = *(*p)++;
		switch (c) {
		case 'n': csv_out_append(&o, "\n", 1); break;
		case 'r': csv_out_append(&o, "\r", 1); break;
		case 't': csv_out_append(&o, "\t", 1); break;
		case 'b': csv_out_append(&o, "\b", 1); break;
		case 'f': csv_out_append(&o, "\f", 1); break;
		case 'u': {
			uint32_t cp = hex4(*p);
			char buf[4];

			*p += 4;
			if (cp >= 0xD800 && cp < 0xDC00 && (*p)[0] == '\\' && (*p)[1] == 'u') {
				cp = 0x10000 + ((cp - 0xD800) << 10) + (hex4(*p + 2) - 0xDC00);
				*p += 6;
			}
			csv_out_append(&o, buf, put_utf8(cp, buf));
			break;
		}
		default: csv_out_append(&o, &c, 1); break;
		}
	}
	(*p)++;
	return o.data;
}

static void json_object(const char **p, struct object *obj)
{
	skip_ws(p);
	if (**p != '{')
		fail_msg("JSON: object expected");
	(*p)++;
	skip_ws(p);
	while (**p != '}') {
		struct pair pr;

		pr.key = json_string(p);
		skip_ws(p);
		if (*(*p)++ != ':')
			fail_msg("JSON: ':' expected");
		pr.value = json_string(p);
		obj->pairs = xreallocarray(obj->pairs, obj->n + 1, sizeof(*obj->pairs));
		obj->pairs[obj->n++] = pr;
		skip_ws(p);
		if (**p == ',')
			(*p)++;
		skip_ws(p);
	}
	(*p)++;
}

/* The expected records: an array of objects (or one bare object). */
static void json_doc(const char *text, struct doc *d)
{
	const char *p = text;
	bool array;

	skip_ws(&p);
	array = *p == '[';
	if (array)
		p++;
	skip_ws(&p);
	while (*p == '{') {
		d->objs = xreallocarray(d->objs, d->n + 1, sizeof(*d->objs));
		memset(&d->objs[d->n], 0, sizeof(d->objs[0]));
		json_object(&p, &d->objs[d->n++]);
		skip_ws(&p);
		if (!array)
			break;
		if (*p == ',')
			p++;
		skip_ws(&p);
	}
	if (array && *p != ']')
		fail_msg("JSON: ']' expected at \"%.20s\"", p);
}

static void doc_free(struct doc *d)
{
	for (size_t i = 0; i < d->n; i++) {
		for (size_t j = 0; j < d->objs[i].n; j++) {
			free(d->objs[i].pairs[j].key);
			free(d->objs[i].pairs[j].value);
		}
		free(d->objs[i].pairs);
	}
	free(d->objs);
}

/* The copy of the set may have lost the CRLF line ends of the *_crlf files
 * (version control converts them); put them back so the file is the one
 * the expected JSON was written for. */
static char *restore_crlf(const char *name, char *csv, size_t *len)
{
	struct csv_out o = { 0 };
	size_t n = strlen(name);

	if (n < 5 || strcmp(name + n - 5, "_crlf") != 0 || memchr(csv, '\r', *len) != NULL)
		return csv;
	csv_out_append(&o, "", 0);
	for (size_t i = 0; i < *len; i++)
		csv_out_append(&o, csv[i] == '\n' ? "\r\n" : csv + i, csv[i] == '\n' ? 2 : 1);
	free(csv);
	*len = o.len;
	return o.data;
}

static const struct erratum *erratum_for(const char *file, const char *key)
{
	for (size_t i = 0; i < sizeof(errata) / sizeof(errata[0]); i++)
		if (strcmp(errata[i].file, file) == 0 && strcmp(errata[i].key, key) == 0)
			return &errata[i];
	return NULL;
}

/* Compare one parsed record with its expected object, key by key. */
static void check_record(const char *name, size_t rowno, const struct csv_record *hdr_rec,
			 char **hdr, const struct csv_record *rec, const struct object *want)
{
	if (rec->nfields != want->n || hdr_rec->nfields != want->n)
		fail_msg("%s row %zu: %zu fields, expected %zu", name, rowno, rec->nfields, want->n);
	for (size_t j = 0; j < want->n; j++) {
		const struct erratum *e = erratum_for(name, want->pairs[j].key);

		assert_string_equal(hdr[j], want->pairs[j].key);
		if (e != NULL) {
			assert_string_equal(rec->fields[j], e->csv_value);
			assert_string_equal(want->pairs[j].value, e->json_value);
			continue;
		}
		if (strcmp(rec->fields[j], want->pairs[j].value) != 0)
			fail_msg("%s row %zu, %s: got \"%s\", expected \"%s\"", name, rowno,
				 hdr[j], rec->fields[j], want->pairs[j].value);
	}
}

static void test_one_file(void **state)
{
	const char *name = *state;
	char *dir = spectrum_dir();
	char *csv_path = xasprintf("%s/csvs/%s.csv", dir, name);
	char *json_path = xasprintf("%s/json/%s.json", dir, name);
	size_t csv_len, json_len, rowno = 0, nhdr;
	char *csv = slurp(csv_path, &csv_len);
	char *json = slurp(json_path, &json_len);
	struct doc want = { 0 };
	struct csv_reader *r;
	struct csv_record rec, hdr_rec;
	struct csv_error err;
	char **hdr;
	enum csv_status st;

	csv = restore_crlf(name, csv, &csv_len);
	json_doc(json, &want);
	assert_true(want.n > 0);
	r = csv_reader_new(csv, csv_len, NULL);
	assert_int_equal(csv_read(r, &rec, &err), CSV_ROW);
	hdr_rec = rec;
	nhdr = rec.nfields;
	hdr = xcalloc(nhdr, sizeof(*hdr));
	for (size_t j = 0; j < nhdr; j++)
		hdr[j] = xstrdup(rec.fields[j]);
	while ((st = csv_read(r, &rec, &err)) == CSV_ROW) {
		if (rowno >= want.n)
			fail_msg("%s: more records than expected", name);
		hdr_rec.nfields = nhdr;
		check_record(name, rowno, &hdr_rec, hdr, &rec, &want.objs[rowno]);
		rowno++;
	}
	if (st == CSV_ERROR)
		fail_msg("%s: %s", name, err.message);
	assert_int_equal(rowno, want.n);
	for (size_t j = 0; j < nhdr; j++)
		free(hdr[j]);
	free(hdr);
	csv_reader_free(&r);
	doc_free(&want);
	free(csv);
	free(json);
	free(csv_path);
	free(json_path);
	free(dir);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
	struct CMUnitTest tests[MAX_FILES];
	char *names[MAX_FILES];
	size_t n = 0;
	char *dir = spectrum_dir();
	char *csvs = xasprintf("%s/csvs", dir);
	DIR *d = opendir(csvs);
	struct dirent *e;
	int rc;

	if (d == NULL) {
		printf("Bail out! csv-spectrum not found at %s\n", csvs);
		return 1;
	}
	while ((e = readdir(d)) != NULL && n < MAX_FILES) {
		size_t len = strlen(e->d_name);

		if (len > 4 && strcmp(e->d_name + len - 4, ".csv") == 0)
			names[n++] = xstrndup(e->d_name, len - 4);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), by_name);
	for (size_t i = 0; i < n; i++) {
		tests[i] = (struct CMUnitTest){ .name = names[i], .test_func = test_one_file,
						.initial_state = names[i] };
	}
	/* The set has twelve files; fewer means a broken copy, not a pass. */
	if (n < 12) {
		printf("Bail out! only %zu csv-spectrum files in %s\n", n, csvs);
		return 1;
	}
	rc = _cmocka_run_group_tests("csv_spectrum", tests, n, NULL, NULL);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(csvs);
	free(dir);
	return rc;
}
