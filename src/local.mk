# The program: argument parsing and subcommands.
bin_PROGRAMS += src/guanbiao
src_guanbiao_CFLAGS = $(AM_CFLAGS) $(NCURSESW_CFLAGS) $(LIBPQ_CFLAGS) $(XLSXWRITER_CFLAGS)
src_guanbiao_SOURCES = \
	src/main.c src/app.h \
	src/cmd_admin.c src/cmd_lookup.c src/cmd_export.c \
	src/cmd_import.c src/cmd_report.c src/cmd_ui.c
# Libraries in layer order, highest first, so each resolves against the next.
GB_LIBS = src/ui/libui.a src/db/libdb.a src/core/libcore.a
src_guanbiao_LDADD = $(GB_LIBS) $(NCURSESW_LIBS) $(LIBPQ_LIBS) $(XLSXWRITER_LIBS) $(XLSX_READ_LIBS) $(LIBICONV)
src_guanbiao_SOURCES += src/out_table.c src/out_table.h src/out_xlsx.c src/out_xlsx.h \
	src/cli_util.c src/cli_util.h src/tables.c src/tables.h \
	src/report_text.c src/report_text.h
