#include "broker_table.hpp"

namespace ipcat {

unsigned BrokerTable::add(std::string name) {
  const unsigned id = m_next_id++;
  m_clients[id].name = std::move(name);
  return id;
}

void BrokerTable::remove(unsigned id) {
  m_clients.erase(id);
}

void BrokerTable::push(Queue& q, const std::shared_ptr<const std::string>& item) {
  q.bytes += item->size();
  q.items.push_back(item);
}

bool BrokerTable::any_over_limit() const {
  for (const auto& [id, q] : m_clients) {
    if (q.bytes > m_queue_limit) {
      return true;
    }
  }
  return false;
}

std::vector<unsigned> BrokerTable::route(unsigned from, std::string_view text) {
  std::vector<unsigned> now_over;
  if (text.empty()) {
    return now_over;
  }
  // One copy of the text, shared by every queue it goes to.
  const auto item = std::make_shared<const std::string>(text);
  for (auto& [id, q] : m_clients) {
    if (id == from) {
      continue; // never back to its sender
    }
    const bool was_over = q.bytes > m_queue_limit;
    push(q, item);
    if (!was_over && q.bytes > m_queue_limit) {
      now_over.push_back(id);
    }
  }
  return now_over;
}

void BrokerTable::queue_for(unsigned id, std::string_view text) {
  const auto it = m_clients.find(id);
  if (it != m_clients.end()) {
    push(it->second, std::make_shared<const std::string>(text));
  }
}

bool BrokerTable::pending(unsigned id) const {
  const auto it = m_clients.find(id);
  return it != m_clients.end() && !it->second.items.empty();
}

std::shared_ptr<const std::string> BrokerTable::front(unsigned id) const {
  return m_clients.at(id).items.front();
}

void BrokerTable::pop(unsigned id) {
  const auto it = m_clients.find(id);
  if (it == m_clients.end() || it->second.items.empty()) {
    return;
  }
  it->second.bytes -= it->second.items.front()->size();
  it->second.items.pop_front();
}

std::size_t BrokerTable::queued_bytes(unsigned id) const {
  const auto it = m_clients.find(id);
  return it == m_clients.end() ? 0 : it->second.bytes;
}

std::string BrokerTable::joined(unsigned id) const {
  const auto it = m_clients.find(id);
  const std::string name = it == m_clients.end() ? std::string("?") : it->second.name;
  return "<announce> " + name + " is connected as <user" + std::to_string(id) + ">.\n";
}

std::string BrokerTable::already_connected(unsigned id) const {
  std::string text = "<announce> already connected: ";
  bool any = false;
  for (const auto& [other, q] : m_clients) {
    if (other == id) {
      continue;
    }
    if (any) {
      text += ", ";
    }
    text += q.name + " as <user" + std::to_string(other) + ">";
    any = true;
  }
  if (!any) {
    text += "nobody";
  }
  return text + ".\n";
}

std::string BrokerTable::left(unsigned id) {
  return "<announce> <user" + std::to_string(id) + "> is disconnected.\n";
}

std::string chat_prefix(unsigned id, std::string_view text, bool& mid_line) {
  const std::string prefix = "<user" + std::to_string(id) + "> ";
  std::string out;
  out.reserve(text.size() + prefix.size());
  std::size_t at = 0;
  while (at < text.size()) {
    if (!mid_line) {
      out += prefix;
    }
    const auto nl = text.find('\n', at);
    const std::size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    out.append(text.substr(at, end - at));
    mid_line = nl == std::string_view::npos;
    at = end;
  }
  return out;
}

std::string announce_name(std::string_view stream_name) {
  constexpr std::string_view tcp = "tcp:";
  if (stream_name.substr(0, tcp.size()) != tcp) {
    return std::string(stream_name);
  }
  std::string_view rest = stream_name.substr(tcp.size());
  const auto colon = rest.rfind(':');
  if (colon != std::string_view::npos) {
    rest = rest.substr(0, colon);
  }
  if (rest.size() >= 2 && rest.front() == '[' && rest.back() == ']') {
    rest = rest.substr(1, rest.size() - 2);
  }
  return std::string(rest);
}

} // namespace ipcat
