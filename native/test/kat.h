// kat.h — the per-algorithm known-answer suites of the standalone runner (kat_main.cc). Each
// returns the number of failed blocks.
#ifndef GUOMI_TEST_KAT_H_
#define GUOMI_TEST_KAT_H_

#include <string>

namespace guomi_test {

int kat_sm3(const std::string& vectors_dir);
int kat_sm4(const std::string& vectors_dir);
int kat_sm2(const std::string& vectors_dir);

}  // namespace guomi_test

#endif  // GUOMI_TEST_KAT_H_
