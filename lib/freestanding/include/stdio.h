#pragma once
// Included by libsodium's headers; the kernel has no stdio.
