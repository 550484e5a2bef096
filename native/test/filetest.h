// filetest.h — reader for the known-answer files in vectors/ (BoringSSL FileTest format), the
// C++ twin of test/filetest.ts. Used by the standalone known-answer runner, which also runs under
// qemu for other architectures, so it depends on nothing but the C++ standard library.
//
//   # comment            [Name = Value] instruction for the following blocks
//   Key = 00ff…          hex bytes, "quoted ASCII", or a decimal number (num())
//   (blank line)         ends a block
//
// Every attribute of a block must be read, or the block fails (a misspelt field is an error).
#ifndef GUOMI_TEST_FILETEST_H_
#define GUOMI_TEST_FILETEST_H_

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace guomi_test {

class FileTestCase {
 public:
  FileTestCase(std::string file, int line, std::map<std::string, std::string> instructions)
      : file_(std::move(file)), line_(line), instructions_(std::move(instructions)) {}

  void set(const std::string& name, const std::string& value) { attrs_[name] = value; }
  bool has(const std::string& name) const { return attrs_.count(name) != 0; }
  std::string where() const { return file_ + ":" + std::to_string(line_); }

  // bytes returns the attribute as bytes (hex or "quoted text"). A missing or malformed
  // attribute records an error and returns an empty vector.
  std::vector<uint8_t> bytes(const std::string& name) {
    const std::string* v = raw(name);
    std::vector<uint8_t> out;
    if (!v) return out;
    if (!v->empty() && (*v)[0] == '"') {
      if (v->size() < 2 || v->back() != '"') {
        fail("bad string in " + name);
        return out;
      }
      out.assign(v->begin() + 1, v->end() - 1);
      return out;
    }
    if (v->size() % 2) {
      fail("odd-length hex in " + name);
      return out;
    }
    for (size_t i = 0; i < v->size(); i += 2) {
      int hi = hexval((*v)[i]), lo = hexval((*v)[i + 1]);
      if (hi < 0 || lo < 0) {
        fail("bad hex in " + name);
        return {};
      }
      out.push_back(static_cast<uint8_t>(hi * 16 + lo));
    }
    return out;
  }

  uint64_t num(const std::string& name) {
    const std::string* v = raw(name);
    if (!v) return 0;
    char* end = nullptr;
    const unsigned long long n = std::strtoull(v->c_str(), &end, 10);
    if (v->empty() || *end) fail(name + " is not a number");
    return n;
  }

  std::string str(const std::string& name) {
    const std::string* v = raw(name);
    if (!v) return "";
    if (v->size() >= 2 && (*v)[0] == '"' && v->back() == '"') return v->substr(1, v->size() - 2);
    return *v;
  }

  std::string instruction(const std::string& name) const {
    auto it = instructions_.find(name);
    return it == instructions_.end() ? "" : it->second;
  }

  // fail records a test failure at this block.
  void fail(const std::string& why) { errors_.push_back(where() + ": " + why); }

  // finish checks that every attribute was read and returns the collected errors.
  std::vector<std::string> finish() {
    for (const auto& kv : attrs_)
      if (!used_.count(kv.first)) fail("unused attribute " + kv.first);
    return errors_;
  }

 private:
  static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  const std::string* raw(const std::string& name) {
    auto it = attrs_.find(name);
    if (it == attrs_.end()) {
      fail("missing attribute " + name);
      return nullptr;
    }
    used_.insert(name);
    return &it->second;
  }

  std::string file_;
  int line_;
  std::map<std::string, std::string> instructions_;
  std::map<std::string, std::string> attrs_;
  std::set<std::string> used_;
  std::vector<std::string> errors_;
};

inline std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

// run_file_tests calls |fn| on every block of |path| and returns the number of failed blocks;
// it prints each failure. |count| receives the number of blocks. A file that cannot be read or
// has no blocks counts as one failure.
inline int run_file_tests(const std::string& path, const std::function<void(FileTestCase&)>& fn,
                          int* count = nullptr) {
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "FAIL %s: cannot open\n", path.c_str());
    return 1;
  }
  std::vector<FileTestCase> cases;
  std::map<std::string, std::string> instructions;
  bool in_block = false;
  std::string text;
  int lineno = 0;
  while (std::getline(in, text)) {
    lineno++;
    const std::string line = trim(text);
    if (line.empty()) {
      in_block = false;
      continue;
    }
    if (line[0] == '#') continue;
    if (line[0] == '[' && line.back() == ']') {
      const size_t eq = line.find('=');
      if (eq != std::string::npos)
        instructions[trim(line.substr(1, eq - 1))] = trim(line.substr(eq + 1, line.size() - eq - 2));
      continue;
    }
    const size_t eq = line.find('=');
    if (eq == std::string::npos) {
      std::fprintf(stderr, "FAIL %s:%d: cannot parse line\n", path.c_str(), lineno);
      return 1;
    }
    if (!in_block) {
      cases.emplace_back(path, lineno, instructions);
      in_block = true;
    }
    cases.back().set(trim(line.substr(0, eq)), trim(line.substr(eq + 1)));
  }
  if (count) *count = static_cast<int>(cases.size());
  if (cases.empty()) {
    std::fprintf(stderr, "FAIL %s: no test blocks\n", path.c_str());
    return 1;
  }
  int failed = 0;
  for (auto& t : cases) {
    fn(t);
    const auto errors = t.finish();
    for (const auto& e : errors) std::fprintf(stderr, "FAIL %s\n", e.c_str());
    if (!errors.empty()) failed++;
  }
  return failed;
}

}  // namespace guomi_test

#endif  // GUOMI_TEST_FILETEST_H_
