// glibc's mallopt, which Swift's Glibc module does not include. Only Linux builds import this
// module (see Package.swift): the standalone server limits its malloc arenas with it.
#include <malloc.h>
