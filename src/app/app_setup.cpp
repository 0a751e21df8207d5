#include "app/app_setup.h"

#include "core/log.h"
#include "store/store_factory.h"

#include <unistd.h>

namespace codecrew::app {

core::Result<core::Config> loadAppConfig(const CommonOptions& options) {
  auto config = core::loadConfig(options.config_path, core::processEnv());
  if (!config) return config.error();
  if (options.data_dir) config->storage.data_dir = *options.data_dir;
  core::log::init(config->log);
  return config;
}

int setupExitCode(const core::Error& error) {
  const bool configuration = error.code == core::ErrorCode::kInvalidArgument ||
                             error.code == core::ErrorCode::kUnimplemented;
  return configuration ? 2 : 1;
}

std::string processName(const std::string& verb) {
  char host[256] = {};
  if (::gethostname(host, sizeof(host) - 1) != 0) return verb + "-host-" + std::to_string(::getpid());
  return verb + "-" + host + "-" + std::to_string(::getpid());
}

core::Result<std::shared_ptr<store::Store>> openAppStore(const core::Config& config, std::shared_ptr<core::Clock> clock,
                                                         store::TransactionObserver observer) {
  auto st = store::openStore(config, std::move(clock), std::move(observer));
  if (!st) return st.error();
  return std::shared_ptr<store::Store>(std::move(st).value());
}

}  // namespace codecrew::app
