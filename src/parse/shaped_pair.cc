// ShapedParser: Parse, and the pairing of request and response lines (record.pair).
#include <algorithm>
#include <string>

#include "parse/shaped_impl.h"

namespace modelwatch::parse {

void ShapedParser::Parse(const Line& given, double now, Sink& sink) {
  Impl& impl = *impl_;
  impl.tree.Clear();
  Line line = given;
  ParseOutcome o = impl.BuildLine(line.text.data(), line.text.size(), line.capacity);
  // parse.nan_literals: only a line that is not JSON is looked at again, repaired.
  if (o == ParseOutcome::kInvalidJson && impl.model.settings.nan_literals &&
      QuoteNanLiterals(given.text, &impl.nan_text)) {
    impl.nan_text.reserve(impl.nan_text.size() + sj::SIMDJSON_PADDING);
    line = Line{impl.nan_text, impl.nan_text.capacity()};
    impl.tree.Clear();
    o = impl.BuildLine(line.text.data(), line.text.size(), line.capacity);
  }
  if (o != ParseOutcome::kOk) {
    sink.OnShapedReject(o);
    return;
  }
  if (impl.model.match && !impl.MatchOk()) {
    sink.OnFiltered();
    return;
  }
  if (impl.model.record.pair) {
    impl.ParsePair(line, now, sink);
    return;
  }
  if ((o = impl.Emit(sink, std::nullopt)) != ParseOutcome::kOk) sink.OnShapedReject(o);
}

void ShapedParser::Expire(double now, bool all, Sink& sink) {
  Impl& impl = *impl_;
  if (!impl.model.record.pair) return;
  if (impl.half_timestamp.empty()) impl.clock = std::max(impl.clock, now);
  impl.ExpireHalves(all, sink);
}

ParseOutcome ShapedParser::Impl::BuildPair(std::string_view request, std::size_t request_capacity,
                                           std::string_view response,
                                           std::size_t response_capacity) {
  tree.Clear();
  std::uint32_t keys[2], nodes[2];
  std::size_t n = 0;
  if (!request.empty()) {
    if (const ParseOutcome o = BuildLine(request.data(), request.size(), request_capacity);
        o != ParseOutcome::kOk) {
      return o;
    }
    keys[n] = key_request;
    nodes[n++] = root;
  }
  if (!response.empty()) {
    if (const ParseOutcome o = BuildLine(response.data(), response.size(), response_capacity);
        o != ParseOutcome::kOk) {
      return o;
    }
    keys[n] = key_response;
    nodes[n++] = root;
  }
  root = tree.MakeObject(keys, nodes, n);
  return ParseOutcome::kOk;
}

void ShapedParser::Impl::ParsePair(const Line& line, double now, Sink& sink) {
  const config::PairConfig& cfg = *model.record.pair;
  std::string_view kind;
  if (!Text(Resolve(pair_kind, kNoNode, 0), &kind)) {
    sink.OnShapedReject(ParseOutcome::kInvalidJson);
    return;
  }
  const bool is_request = kind == cfg.request;
  if (!is_request && kind != cfg.response) {
    sink.OnFiltered();  // another event type (Seldon feedback, outlier, ...)
    return;
  }
  Half half;
  half.request = is_request;
  std::string_view key_text;
  if (!Text(Resolve(pair_key, kNoNode, 0), &key_text)) {
    sink.OnShapedReject(ParseOutcome::kInvalidJson);
    return;
  }
  std::string key(key_text);
  if (std::optional<double> t = half_timestamp.empty() ? std::nullopt : HalfTime()) {
    half.has_time = true;
    half.time = *t;
    clock = std::max(clock, *t);
  } else if (half_timestamp.empty()) {
    clock = std::max(clock, now);
  }
  half.clock = half.has_time ? half.time : clock;
  half.text.assign(line.text);
  half.text.reserve(line.text.size() + sj::SIMDJSON_PADDING);

  auto it = key.empty() ? pending.end() : pending.find(key);
  if (key.empty()) {
    Lone(sink, half);  // no key: it can never be paired
  } else if (it == pending.end()) {
    Store(sink, std::move(half), key);
  } else if (it->second.request == half.request) {
    // The same half twice: the older one will never be paired.
    Half old = std::move(it->second);
    pending.erase(it);
    Lone(sink, old);
    Store(sink, std::move(half), key);
  } else {
    Half other = std::move(it->second);
    pending.erase(it);
    const Half& req = half.request ? half : other;
    const Half& resp = half.request ? other : half;
    std::optional<double> latency;
    if (model.record.latency && model.record.latency->from_pair && req.has_time && resp.has_time) {
      latency = resp.time - req.time;
    }
    ParseOutcome o = BuildPair(req.text, req.text.capacity(), resp.text, resp.text.capacity());
    if (o == ParseOutcome::kOk) o = Emit(sink, latency);
    if (o != ParseOutcome::kOk) sink.OnShapedReject(o);
  }
  ExpireHalves(false, sink);
}

void ShapedParser::Impl::Store(Sink& sink, Half half, const std::string& key) {
  while (pending.size() >= model.record.pair->max_pending && !order.empty()) {
    auto [s, k] = std::move(order.front());
    order.pop_front();
    auto it = pending.find(k);
    if (it == pending.end() || it->second.seq != s) continue;
    Half old = std::move(it->second);
    pending.erase(it);
    Lone(sink, old);
  }
  half.seq = ++seq;
  order.emplace_back(half.seq, key);
  pending.emplace(key, std::move(half));
}

void ShapedParser::Impl::ExpireHalves(bool all, Sink& sink) {
  const double timeout = model.record.pair->timeout;
  while (!order.empty()) {
    auto it = pending.find(order.front().second);
    if (it == pending.end() || it->second.seq != order.front().first) {
      order.pop_front();
      continue;
    }
    if (!all && clock - it->second.clock <= timeout) break;
    Half old = std::move(it->second);
    pending.erase(it);
    order.pop_front();
    Lone(sink, old);
  }
}

void ShapedParser::Impl::Lone(Sink& sink, Half& half) {
  sink.OnUnpaired(half.request);
  if (!half.request) return;  // a response alone has no features: dropped, counted
  ParseOutcome o = BuildPair(half.text, half.text.capacity(), {}, 0);
  if (o == ParseOutcome::kOk) o = Emit(sink, std::nullopt);
  if (o != ParseOutcome::kOk) sink.OnShapedReject(o);
}

}  // namespace modelwatch::parse
