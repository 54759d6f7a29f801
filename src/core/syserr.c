#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/syserr.h"

struct syserr_entry {
	int errnum;
	const char *text;
};

/* The errors that opening, reading and writing files and terminals meet. */
static const struct syserr_entry syserr_table[] = {
	{ ENOENT, "文件或目录不存在" },
	{ EEXIST, "文件已存在" },
	{ EACCES, "没有权限" },
	{ EPERM, "不允许的操作" },
	{ EISDIR, "这是一个目录，不是文件" },
	{ ENOTDIR, "路径中有一项不是目录" },
	{ ENOSPC, "磁盘空间不足" },
	{ EDQUOT, "超出磁盘配额" },
	{ EROFS, "文件系统是只读的" },
	{ EMFILE, "打开的文件太多" },
	{ ENFILE, "系统打开的文件太多" },
	{ EIO, "输入输出错误" },
	{ ENAMETOOLONG, "文件名太长" },
	{ EFBIG, "文件太大" },
	{ EPIPE, "输出管道已关闭" },
	{ ENOMEM, "内存不足" },
	{ EINVAL, "参数无效" },
	{ EBUSY, "设备或资源忙" },
	{ ETXTBSY, "文件正被使用" },
	{ ELOOP, "符号链接层数太多" },
};

const char *syserr_text(int errnum)
{
	static _Thread_local char other[160];

	for (size_t i = 0; i < sizeof(syserr_table) / sizeof(syserr_table[0]); i++) {
		if (syserr_table[i].errnum == errnum)
			return syserr_table[i].text;
	}
	snprintf(other, sizeof(other), "系统错误 %d（%s）", errnum, strerror(errnum));
	return other;
}
