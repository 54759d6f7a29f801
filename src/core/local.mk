# core: text width, encodings, USCC, validation. No curses, no libpq.
noinst_LIBRARIES += src/core/libcore.a
src_core_libcore_a_SOURCES = \
	src/core/xalloc.c src/core/xalloc.h \
	src/core/utf8.c src/core/utf8.h \
	src/core/width.c src/core/width.h \
	src/core/escape.c src/core/escape.h \
	src/core/encoding.c src/core/encoding.h \
	src/core/uscc.c src/core/uscc.h \
	src/core/syserr.c src/core/syserr.h
include $(srcdir)/src/core/csv.mk
include $(srcdir)/src/core/xlsx.mk
