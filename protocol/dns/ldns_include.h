#pragma once
// ldns/common.h redefines bool/true/false unless <stdbool.h> came first; those macros break
// <optional>, <compare> and fmt in C++. Every mxsentry file includes ldns through this header.
#include <stdbool.h>
#include <ldns/ldns.h>
