/* libFuzzer target for core/csv: any input either parses or fails with a
 * located error, and every record read writes back and reads again to the
 * same fields. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Write one record and read it back: the fields must come out unchanged. */
static void check_round_trip(const struct csv_record *rec)
{
	struct csv_out o = { 0 };
	struct csv_reader *r;
	struct csv_record back;
	struct csv_error err;

	for (size_t i = 0; i < rec->nfields; i++)
		csv_write_field(&o, i == 0, rec->fields[i], CSV_TEXT);
	csv_end_record(&o);
	r = csv_reader_new(o.data, o.len, NULL);
	if (csv_read(r, &back, &err) != CSV_ROW) {
		/* Only a record of one empty field writes as an empty line. */
		if (!(rec->nfields == 1 && rec->lens[0] == 0))
			abort();
	} else {
		if (back.nfields != rec->nfields)
			abort();
		for (size_t i = 0; i < rec->nfields; i++)
			if (strcmp(csv_unneutralise(back.fields[i]), rec->fields[i]) != 0)
				abort();
	}
	csv_reader_free(&r);
	csv_out_free(&o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv_options opt = { .max_field_bytes = 4096 };
	struct csv_reader *r;
	struct csv_record rec;
	struct csv_error err;
	enum csv_status st;

	if (size == 0)
		return 0;
	/* The first byte picks the options; the rest is the file. */
	opt.allow_ragged = data[0] & 1;
	r = csv_reader_new((const char *)data + 1, size - 1, &opt);
	while ((st = csv_read(r, &rec, &err)) == CSV_ROW) {
		int embedded_nul = 0;

		for (size_t i = 0; i < rec.nfields; i++)
			if (strlen(rec.fields[i]) != rec.lens[i])
				embedded_nul = 1;
		if (embedded_nul)
			abort();
		check_round_trip(&rec);
	}
	if (st == CSV_ERROR && (err.line == 0 || err.column == 0 || err.offset > size))
		abort();
	csv_reader_free(&r);
	return 0;
}
