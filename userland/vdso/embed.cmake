# cmake -DIN=file -DOUT=header -P embed.cmake: IN's bytes as `static const uint8_t
# vdso_image[]` in OUT.
file(READ ${IN} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "((0x..,){16})" "\\1\n\t" bytes "${bytes}")
file(WRITE ${OUT} "// Made by userland/vdso/embed.cmake from ${IN}: do not edit.\n"
     "#include <stdint.h>\n"
     "static const uint8_t vdso_image[] __attribute__((aligned(16))) = {\n\t${bytes}\n};\n")
