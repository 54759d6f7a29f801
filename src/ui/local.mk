# ui: ncursesw widgets and screens.
noinst_LIBRARIES += src/ui/libui.a
src_ui_libui_a_CFLAGS = $(AM_CFLAGS) $(NCURSESW_CFLAGS) $(LIBPQ_CFLAGS)
src_ui_libui_a_SOURCES = \
	src/ui/draw.c src/ui/draw.h \
	src/ui/term.c src/ui/term.h \
	src/ui/table.c src/ui/table.h \
	src/ui/input.c src/ui/input.h \
	src/ui/form.c src/ui/form.h \
	src/ui/screen.c src/ui/screen.h \
	src/ui/kvlist.c src/ui/kvlist.h \
	src/ui/dialog.c src/ui/dialog.h \
	src/ui/listview.c src/ui/listview.h \
	src/ui/export.c src/ui/export.h \
	src/ui/progress.c src/ui/progress.h \
	src/ui/panels.c src/ui/panels.h \
	src/ui/enterprise.c src/ui/enterprise.h \
	src/ui/casework.c src/ui/casework.h \
	src/ui/record.c src/ui/record.h \
	src/ui/client.c src/ui/client.h
