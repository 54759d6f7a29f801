# ui: ncursesw widgets and screens.
noinst_LIBRARIES += src/ui/libui.a
src_ui_libui_a_CFLAGS = $(AM_CFLAGS) $(NCURSESW_CFLAGS) $(LIBPQ_CFLAGS)
src_ui_libui_a_SOURCES = \
	src/ui/draw.c src/ui/draw.h \
	src/ui/term.c src/ui/term.h \
	src/ui/table.c src/ui/table.h \
	src/ui/input.c src/ui/input.h \
	src/ui/form.c src/ui/form.h
