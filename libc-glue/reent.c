/* newlib's per-thread state: __getreent() (newlib built with __DYNAMIC_REENT__). */
#include <reent.h>

struct _reent *__getreent(void)
{
	return _impure_ptr;
}
