# ui: ncursesw widgets and screens.
noinst_LIBRARIES += src/ui/libui.a
src_ui_libui_a_CFLAGS = $(AM_CFLAGS) $(NCURSESW_CFLAGS) $(LIBPQ_CFLAGS)
src_ui_libui_a_SOURCES =
