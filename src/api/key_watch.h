// KeyWatch: keeps open live streams (SSE and WebSocket) honest about the API
// key that opened them. A stream is watched under its key's hash; every
// `interval` ([server] auth_cache_seconds, at least 1 s) one pass looks each
// watched key up in the store, once per key however many streams it has,
// bypassing the KeyCache, and revokes every stream of a key that is no
// longer valid (revoked, or gone) with the reason. So a key revoked by
// `codecrew keys revoke` (another process) closes its streams within an
// interval. A store that fails to answer closes nothing (the next pass tries
// again); a stream that closed on its own is forgotten on the next pass.
// The thread starts with the first watch(), so a server that never opens a
// keyed stream (dev mode) runs none.
// Thread-safety: every member may be called from any thread. Callbacks run
// on the watch's thread (or checkNow's caller): revoke with no lock held,
// closed under the watch's lock (it must be cheap and not call the watch).
// The destructor stops and joins the thread.
#pragma once

#include "core/result.h"
#include "store/tenant_store.h"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace codecrew::api {

// Whether the key with this hash is valid now, by the store (not the cache):
// ok, or kUnauthenticated ("API key revoked", "invalid API key"), or the
// store's own error.
core::Status checkKeyInStore(store::TenantStore& keys, const std::string& key_hash);

class KeyWatch {
 public:
  // One watched stream: closed() says it is gone; revoke(why) closes it.
  struct Stream {
    std::function<bool()> closed;
    std::function<void(const core::Error& why)> revoke;
  };

  KeyWatch(std::shared_ptr<store::TenantStore> keys, std::chrono::milliseconds interval);
  ~KeyWatch();
  KeyWatch(const KeyWatch&) = delete;
  KeyWatch& operator=(const KeyWatch&) = delete;

  // Watches stream under key_hash (ignored when empty: dev mode has no key).
  void watch(const std::string& key_hash, Stream stream);
  // The same for a target held weakly: it counts as closed once gone or
  // target->closed(); revocation calls revoke(*target, why).
  template <typename T, typename Revoke>
  void watchWeak(const std::string& key_hash, const std::shared_ptr<T>& target, Revoke revoke) {
    std::weak_ptr<T> weak = target;
    watch(key_hash, {[weak] {
                       auto t = weak.lock();
                       return !t || t->closed();
                     },
                     [weak, revoke](const core::Error& why) {
                       if (auto t = weak.lock()) revoke(*t, why);
                     }});
  }
  // One pass now (the thread calls it every interval).
  void checkNow();
  // Streams watched, closed ones not yet forgotten included.
  std::size_t size() const;
  std::chrono::milliseconds interval() const { return interval_; }

 private:
  void run();

  const std::shared_ptr<store::TenantStore> keys_;
  const std::chrono::milliseconds interval_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, std::vector<Stream>> streams_;  // guarded by mu_: by key hash
  bool stopping_ = false;                               // guarded by mu_
  std::thread thread_;                                  // guarded by mu_: started by the first watch()
};

}  // namespace codecrew::api
