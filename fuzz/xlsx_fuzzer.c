/* libFuzzer target for core/xlsx_read and the XLSX import seam.  The first
 * byte picks the mode: even, the rest is the file itself (ZIP damage);
 * odd, the rest is a worksheet's XML, a NUL, then the shared strings' XML,
 * zipped here into a workbook (the mutations reach the XML that a ZIP's
 * compression would hide).  Any input gives rows or a message; rows are
 * well formed. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "core/import_sheet.h"
#include "core/xlsx_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NS_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_PKG "http://schemas.openxmlformats.org/package/2006/relationships"

static const char root_rels[] =
	"<Relationships xmlns=\"" NS_PKG "\"><Relationship Id=\"rId1\" Type=\"" NS_REL
	"/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
static const char workbook[] =
	"<workbook xmlns:r=\"" NS_REL "\"><sheets><sheet name=\"s\" r:id=\"rId1\"/></sheets></workbook>";
static const char wb_rels[] =
	"<Relationships xmlns=\"" NS_PKG "\">"
	"<Relationship Id=\"rId1\" Type=\"" NS_REL "/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"" NS_REL "/sharedStrings\" Target=\"sharedStrings.xml\"/>"
	"</Relationships>";

static void add(zip_t *z, const char *name, const void *p, size_t n)
{
	zip_source_t *s = zip_source_buffer(z, p, n, 0);
	zip_int64_t i = s ? zip_file_add(z, name, s, 0) : -1;

	if (i < 0)
		abort();
	zip_set_file_compression(z, (zip_uint64_t)i, ZIP_CM_STORE, 0);
}

/* A stored (uncompressed) workbook of the two XML texts.  Caller frees. */
static uint8_t *make_book(const uint8_t *sheet, size_t sheet_len, const uint8_t *sst,
			  size_t sst_len, size_t *len)
{
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, NULL);
	zip_t *z = zip_open_from_source(src, ZIP_TRUNCATE, NULL);
	zip_stat_t st;
	uint8_t *out;

	if (z == NULL)
		abort();
	zip_source_keep(src);
	add(z, "_rels/.rels", root_rels, strlen(root_rels));
	add(z, "xl/workbook.xml", workbook, strlen(workbook));
	add(z, "xl/_rels/workbook.xml.rels", wb_rels, strlen(wb_rels));
	add(z, "xl/worksheets/sheet1.xml", sheet, sheet_len);
	add(z, "xl/sharedStrings.xml", sst, sst_len);
	if (zip_close(z) != 0 || zip_source_stat(src, &st) != 0 || zip_source_open(src) != 0)
		abort();
	out = malloc(st.size ? st.size : 1);
	if (out == NULL || zip_source_read(src, out, st.size) != (zip_int64_t)st.size)
		abort();
	zip_source_close(src);
	zip_source_free(src);
	*len = st.size;
	return out;
}

static void read_rows(const uint8_t *book, size_t len)
{
	struct xlsx_limits lim = { .max_part_bytes = 1 << 20, .max_strings_bytes = 1 << 20,
				   .max_cell_bytes = 4096, .max_row_bytes = 65536 };
	char msg[256];
	struct xlsx_reader *r = xlsx_open(book, len, &lim, msg, sizeof(msg));
	struct xlsx_row row;
	size_t last = 0, line;
	enum xlsx_status st;

	if (r == NULL) {
		if (msg[0] == '\0')
			abort();
		return;
	}
	while ((st = xlsx_next_row(r, &row, &line, msg, sizeof(msg))) == XLSX_ROW) {
		if (row.line <= last || row.line > 1048576 || row.ncells == 0 ||
		    row.ncells > 16384 || row.lens[row.ncells - 1] == 0)
			abort();
		for (size_t i = 0; i < row.ncells; i++)
			if (strlen(row.cells[i]) != row.lens[i] || row.kinds[i] > XLSX_ERROR ||
			    (row.kinds[i] == XLSX_EMPTY && row.lens[i] != 0))
				abort();
		last = row.line;
	}
	if (st == XLSX_FAIL && msg[0] == '\0')
		abort();
	xlsx_close(&r);
}

/* The importer over the same workbook: all problems located. */
static void import_rows(const uint8_t *book, size_t len)
{
	struct import_sheet sheet = { 0 };
	bool ok = import_sheet_read_xlsx("f.xlsx", (const char *)book, len, NULL, NULL, &sheet);

	if (!ok && sheet.nproblems == 0)
		abort();
	for (size_t i = 0; i < sheet.nproblems; i++)
		if (strncmp(sheet.problems[i], "f.xlsx:", 7) != 0)
			abort();
	import_sheet_free(&sheet);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *body = data + 1, *nul;
	uint8_t *book;
	size_t n = size - 1, len;

	if (size == 0)
		return 0;
	if ((data[0] & 1) == 0) {
		read_rows(body, n);
		import_rows(body, n);
		return 0;
	}
	nul = memchr(body, '\0', n);
	book = nul ? make_book(body, (size_t)(nul - body), nul + 1, n - (size_t)(nul - body) - 1, &len)
		   : make_book(body, n, (const uint8_t *)"", 0, &len);
	read_rows(book, len);
	import_rows(book, len);
	free(book);
	return 0;
}
