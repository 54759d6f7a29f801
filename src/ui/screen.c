#include "config.h"

#include "ui/screen.h"

bool screen_key_enter(int ret, wint_t ch)
{
	return (ret == OK && (ch == '\r' || ch == '\n')) || (ret == KEY_CODE_YES && ch == KEY_ENTER);
}
