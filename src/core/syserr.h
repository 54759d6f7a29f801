/* System errors (errno) in words an officer reads: Chinese for the ones a
 * file or terminal operation meets, the C library's text otherwise. */
#ifndef GB_SYSERR_H
#define GB_SYSERR_H

/* Text for errnum.  The returned string is static or thread-local: copy
 * it before the next call if it must be kept. */
const char *syserr_text(int errnum);

#endif
