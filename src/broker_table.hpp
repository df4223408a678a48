// The pure half of --broker and --chat: who gets a line (every client but its sender; stdin's
// lines go to every client), each client's bounded queue, the <userN> prefix and the chat
// announcements. No descriptors, no waiting: the broker (broker.cpp) feeds it and writes out
// what it queues.
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ipcat {

/// Line routing between broker clients, with a queue per client bounded in bytes.
class BrokerTable {
public:
  /// The sender number of stdin: its lines go to every client.
  static constexpr unsigned k_stdin = 0;

  /// A table whose clients are over the limit once they have more than queue_limit bytes
  /// waiting to be written.
  explicit BrokerTable(std::size_t queue_limit) : m_queue_limit(queue_limit) {}

  /// Adds a client (its display name, for announcements); returns its number: 1, 2, 3, ...
  unsigned add(std::string name);
  /// Forgets a client and its queue (nothing more is queued for it).
  void remove(unsigned id);
  /// True when the client is in the table.
  [[nodiscard]] bool has(unsigned id) const { return m_clients.count(id) != 0; }
  /// The number of clients.
  [[nodiscard]] std::size_t size() const { return m_clients.size(); }

  /// Queues text for every client but from (k_stdin: for all). Returns the clients it took
  /// past the limit (they were not over it before): the caller watches them. Text is always
  /// queued: the caller bounds the queues by not reading senders while one is over the limit.
  std::vector<unsigned> route(unsigned from, std::string_view text);
  /// Queues text for one client (an announcement).
  void queue_for(unsigned id, std::string_view text);
  /// True when the client has more than the limit waiting.
  [[nodiscard]] bool over_limit(unsigned id) const { return queued_bytes(id) > m_queue_limit; }
  /// True when any client is over the limit.
  [[nodiscard]] bool any_over_limit() const;

  /// True when the client has something queued.
  [[nodiscard]] bool pending(unsigned id) const;
  /// The first piece queued for the client (it must be pending).
  [[nodiscard]] std::shared_ptr<const std::string> front(unsigned id) const;
  /// Removes the first piece queued for the client, once written.
  void pop(unsigned id);
  /// The bytes queued for the client.
  [[nodiscard]] std::size_t queued_bytes(unsigned id) const;

  /// --chat's announcements, as ncat words them: "<announce> HOST is connected as <user3>.\n",
  /// to everybody.
  [[nodiscard]] std::string joined(unsigned id) const;
  /// To the newcomer: "<announce> already connected: HOST as <user1>, HOST as <user2>.\n"
  /// ("nobody" when alone).
  [[nodiscard]] std::string already_connected(unsigned id) const;
  /// To the others when a client leaves: "<announce> <user3> is disconnected.\n".
  [[nodiscard]] static std::string left(unsigned id);

private:
  struct Queue {
    std::string name;
    std::deque<std::shared_ptr<const std::string>> items;
    std::size_t bytes = 0;
  };
  void push(Queue& q, const std::shared_ptr<const std::string>& item);

  std::size_t m_queue_limit;
  unsigned m_next_id = 1;
  std::map<unsigned, Queue> m_clients;
};

/// --chat: text (whole lines, or a piece of a long line) with "<userN> " before each line
/// start. mid_line says whether the sender's previous text ended inside a line (then the first
/// bytes get no prefix); it is updated for the next call.
std::string chat_prefix(unsigned id, std::string_view text, bool& mid_line);

/// The host part of a client's name for the announcements: "tcp:127.0.0.1:4000" gives
/// "127.0.0.1", "tcp:[::1]:4000" gives "::1"; other names are kept whole.
std::string announce_name(std::string_view stream_name);

} // namespace ipcat
