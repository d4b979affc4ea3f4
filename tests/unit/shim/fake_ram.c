/* fake_ram and the image symbols inside it; see fake_ram.h. */
#include "fake_ram.h"

#define STR_(x) #x
#define STR(x)	STR_(x)

/*
 * In assembly so that the symbols are plain labels at fixed offsets: the
 * kernel declares them as char arrays and only takes their addresses.
 */
__asm__(".pushsection .bss\n"
	".balign " STR(FAKE_RAM_ALIGN) "\n"
	".globl fake_ram\n"
	".type fake_ram, @object\n"
	".size fake_ram, " STR(FAKE_RAM_SIZE) "\n"
	"fake_ram:\n"
	".skip " STR(FAKE_RAM_SIZE) "\n"
	".globl __image_start, __text_start, __text_end, __rodata_start, __rodata_end\n"
	".globl __data_start, __data_end, __bss_start, __image_end\n"
	".set __image_start, fake_ram + " STR(FAKE_TEXT) "\n"
	".set __text_start, fake_ram + " STR(FAKE_TEXT) "\n"
	".set __text_end, fake_ram + " STR(FAKE_TEXT_END) "\n"
	".set __rodata_start, fake_ram + " STR(FAKE_RODATA) "\n"
	".set __rodata_end, fake_ram + " STR(FAKE_RODATA_END) "\n"
	".set __data_start, fake_ram + " STR(FAKE_DATA) "\n"
	".set __data_end, fake_ram + " STR(FAKE_DATA_END) "\n"
	".set __bss_start, fake_ram + " STR(FAKE_BSS) "\n"
	".set __image_end, fake_ram + " STR(FAKE_IMAGE_END) "\n"
	".popsection\n");
