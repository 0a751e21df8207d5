#include <cstdio>
#include <string>
#include <vector>

// Write-ahead log: every change is appended and flushed before it is applied,
// so that after a crash the changes can be read back and applied again.
class WriteAheadLog {
 public:
  explicit WriteAheadLog(const std::string& path) : file_(std::fopen(path.c_str(), "a+")) {}

  void append(const std::string& record) {
    std::fprintf(file_, "%zu %s\n", record.size(), record.c_str());
    std::fflush(file_);
  }

  // Reads every complete record from the start, for recovery after a restart.
  std::vector<std::string> replay() {
    std::vector<std::string> records;
    std::rewind(file_);
    char buf[4096];
    while (std::fgets(buf, sizeof buf, file_)) records.emplace_back(buf);
    return records;
  }

 private:
  std::FILE* file_;
};
