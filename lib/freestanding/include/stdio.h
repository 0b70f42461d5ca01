#pragma once
// Included by libsodium's headers; freestanding code has no stdio.
