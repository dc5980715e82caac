// The body codec (tools/gateway/protocol/message_codec.h): every message of docs/protocol.md round trips,
// known bytes decode as the document says, and every kind of malformed body is refused.
#include <doctest/doctest.h>

#include "protocol/message_codec.h"

using namespace faasmjs::gateway;
using namespace faasmjs::gateway::protocol;

namespace {

Bytes bytes_of(std::string_view text) { return {text.begin(), text.end()}; }

// One filled-in sample of every message, with every field away from its default.
std::vector<ClientMessage> client_samples() {
  return {
      Hello{1, "alice", "secret", 0x0123456789abcdefull},
      Invoke{"child", 7, "--flag x", 2500, bytes_of("in-1"), {}, "a3b64f2197c2"},
      Invoke{"child", 0, "", 0, bytes_of(""), {{"/tmp/a.txt", bytes_of("seed")}, {"b", bytes_of("")}}, ""},
      Await{7},
      Cancel{8},
      StateSize{"counts"},
      StatePull{"counts", 16, kToEnd},
      StatePush{"matrix", 4096, true, {{0, bytes_of("abcd")}, {100, bytes_of("")}, {4000, Bytes(96, 7)}}},
      StateSet{"k", bytes_of("value")},
      StateAppend{"log", bytes_of("element")},
      StateReadAppended{"log", 3},
      StateClearAppended{"log"},
      StateLock{"k", true},
      StateUnlock{"k", true},
      StateKeys{"pre"},
      Upload{"fn", bytes_of("\0asm\x01\0\0\0")},
      FileUpload{"data/hello.txt", bytes_of("file \0 bytes")},
      FileGet{"data/hello.txt"},
      Functions{},
      Ping{bytes_of("p")},
  };
}

std::vector<ServerMessage> server_samples() {
  return {
      Welcome{1, 42, true, 4u << 20, 1u << 20, 256u << 20, 2, "faasmjs-gateway 1.0"},
      Result{1, CallStatus::TimedOut, "echo ran over 10 ms", 12, 34, R"({"where":"cluster"})", bytes_of("out"),
             bytes_of("err"), bytes_of("output")},
      Ack{1},
      StateSizeIs{123},
      StateValue{true, 100, 10, Bytes(90, 1)},
      StateAppended{{bytes_of("a"), bytes_of(""), bytes_of("ccc")}},
      StateKeyList{{"a", "b/c", "ünïcode"}},
      Uploaded{"fn", std::string(64, 'f'), 1234},
      FileData{true, bytes_of("contents")},
      FileData{false, bytes_of("")},
      FunctionList{{{"hello", std::string(64, 'a'), 2}, {"pi", std::string(64, 'b'), 1}}},
      FunctionList{},
      Pong{bytes_of("p")},
      ErrorReply{ErrorCode::DuplicateId, "request 3 was already used"},
      ErrorReply{ErrorCode::Forbidden, "function 'f' belongs to user 'alice'"},
  };
}

template <typename Variant>
Message encode_variant(std::uint32_t id, const Variant& message) {
  return std::visit([&](const auto& m) { return encode(id, m); }, message);
}

}  // namespace

TEST_SUITE("codec") {
  TEST_CASE("every client message round trips") {
    for (const auto& sample : client_samples()) {
      const Message encoded = encode_variant(9, sample);
      CAPTURE(type_name(encoded.type));
      auto decoded = decode_client(encoded);
      REQUIRE(decoded.has_value());
      CHECK(*decoded == sample);
    }
  }

  TEST_CASE("every server message round trips") {
    for (const auto& sample : server_samples()) {
      const Message encoded = encode_variant(9, sample);
      CAPTURE(type_name(encoded.type));
      auto decoded = decode_server(encoded);
      REQUIRE(decoded.has_value());
      CHECK(*decoded == sample);
    }
  }

  TEST_CASE("the document's INVOKE example decodes") {
    // docs/protocol.md, "An example": 02 00 0000 07000000 1F000000, then the body (no files: count 0; no
    // version: an empty sha256).
    const Bytes body = {0x05, 0x00, 'c', 'h', 'i', 'l', 'd', 0,   0,   0, 0, 0, 0, 0, 0, 0,
                        0,    0x04, 0,   0,   0,   'i', 'n', '-', '1', 0, 0, 0, 0, 0, 0};
    REQUIRE(body.size() == 0x1F);
    auto decoded = decode_client({Type::Invoke, 7, body});
    REQUIRE(decoded.has_value());
    CHECK(std::get<Invoke>(*decoded) == Invoke{"child", 0, "", 0, bytes_of("in-1"), {}, ""});
    CHECK(encode_body(std::get<Invoke>(*decoded)) == body);
  }

  TEST_CASE("fields are little-endian in wire order") {
    const Bytes welcome = encode_body(Welcome{1, 0x0807060504030201ull, true, 0x100, 0x200, 0x300, 4, "s"});
    const Bytes expected = {1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 1, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 4, 0, 0, 0, 1, 0, 's'};
    CHECK(welcome == expected);
    const Bytes result = encode_body(Result{-1, CallStatus::Cancelled, "", 0, 0, "", {}, {}, {}});
    Bytes expected_result = {0xff, 0xff, 0xff, 0xff, 4};
    expected_result.resize(4 + 1 + 2 + 4 + 4 + 2 + 4 + 4 + 4, 0);
    CHECK(result == expected_result);
  }

  TEST_CASE("every truncation and every extra byte is refused") {
    for (const auto& sample : client_samples()) {
      const Message whole = encode_variant(3, sample);
      CAPTURE(type_name(whole.type));
      for (std::size_t cut = 0; cut < whole.body.size(); ++cut) {
        Message truncated{whole.type, 3,
                          Bytes(whole.body.begin(), whole.body.begin() + static_cast<std::ptrdiff_t>(cut))};
        CAPTURE(cut);
        auto decoded = decode_client(truncated);
        REQUIRE_FALSE(decoded.has_value());
        CHECK(decoded.error().code == ErrorCode::BadFrame);
      }
      Message longer = whole;
      longer.body.push_back(0);
      auto decoded = decode_client(longer);
      REQUIRE_FALSE(decoded.has_value());
      CHECK(decoded.error().code == ErrorCode::BadFrame);
      CHECK(decoded.error().message.find(type_name(whole.type)) != std::string::npos);
    }
  }

  TEST_CASE("a bool other than 0 or 1 is refused") {
    Bytes lock = encode_body(StateLock{"k", true});
    lock.back() = 2;
    CHECK_FALSE(decode_body<StateLock>(lock).has_value());
    Bytes push = encode_body(StatePush{"k", 4, false, {}});
    push[2 + 1 + 4] = 0xff;  // the partial flag, after str "k" and u32 size
    CHECK_FALSE(decode_body<StatePush>(push).has_value());
  }

  TEST_CASE("an enum outside its table is refused") {
    Bytes result = encode_body(Result{});
    result[4] = 7;  // status after i32 returnValue
    CHECK_FALSE(decode_body<Result>(result).has_value());
    Bytes error = encode_body(ErrorReply{ErrorCode::Internal, "x"});
    error[0] = 0;
    CHECK_FALSE(decode_body<ErrorReply>(error).has_value());
    error[0] = static_cast<std::uint8_t>(ErrorCode::LimitExceeded) + 1;  // the last code's successor
    CHECK_FALSE(decode_body<ErrorReply>(error).has_value());
  }

  TEST_CASE("strings must be UTF-8") {
    CHECK(valid_utf8("plain"));
    CHECK(valid_utf8("\xc3\xbc\xe2\x82\xac\xf0\x9f\x98\x80"));
    CHECK_FALSE(valid_utf8("\xc3"));              // cut sequence
    CHECK_FALSE(valid_utf8("\xc0\xaf"));          // overlong '/'
    CHECK_FALSE(valid_utf8("\xed\xa0\x80"));      // a surrogate
    CHECK_FALSE(valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
    CHECK_FALSE(valid_utf8("\xff"));
    Bytes size = {3, 0, 'a', 0xff, 'b'};
    CHECK_FALSE(decode_body<StateSize>(size).has_value());
  }

  TEST_CASE("a count larger than the bytes left is refused before allocating") {
    Bytes push = encode_body(StatePush{"k", 4, false, {}});
    // count = 0xFFFFFFFF with no ranges after it: would be 32 GiB of ranges if believed.
    for (std::size_t i = push.size() - 4; i < push.size(); ++i) push[i] = 0xff;
    CHECK_FALSE(decode_body<StatePush>(push).has_value());
    Bytes list = {2, 0, 0, 0, 1, 0, 'a'};  // two strings promised, one present
    CHECK_FALSE(decode_body<StateKeyList>(list).has_value());
    Bytes bytes = {0xff, 0xff, 0xff, 0xff};  // a PING payload longer than the body
    CHECK_FALSE(decode_body<Ping>(bytes).has_value());
  }

  TEST_CASE("types a client may not send are UnknownType") {
    for (auto type : {Type::Welcome, Type::Result, Type::Error, Type::Continue, static_cast<Type>(0x42)}) {
      auto decoded = decode_client({type, 1, {}});
      REQUIRE_FALSE(decoded.has_value());
      CHECK(decoded.error().code == ErrorCode::UnknownType);
    }
    CHECK(type_name(static_cast<Type>(0x42)) == "0x42");
    auto decoded = decode_server({Type::Hello, 1, encode_body(Hello{})});
    REQUIRE_FALSE(decoded.has_value());
    CHECK(decoded.error().code == ErrorCode::UnknownType);
  }

  TEST_CASE("strings longer than a str holds are clipped on a character boundary") {
    std::string text(0xFFFE, 'a');
    text += "\xe2\x82\xac";  // a 3-byte character across the 65535-byte limit
    CHECK(sanitize_str(text).size() == 0xFFFE);
    auto decoded = decode_body<ErrorReply>(encode_body(ErrorReply{ErrorCode::Internal, text}));
    REQUIRE(decoded.has_value());
    CHECK(decoded->message == std::string(0xFFFE, 'a'));
  }

  TEST_CASE("every str the gateway sends is UTF-8: ill-formed sequences become U+FFFD") {
    // A call's error quoting raw output: a lone 0xff, a sequence cut short, a surrogate, an overlong '/'.
    const std::string raw = "out: \xff, cut \xe2\x82, \xed\xa0\x80 and \xc0\xaf end \xc3\xbc";
    Result result;
    result.status = CallStatus::Trapped;
    result.error = raw;
    auto decoded = decode_server(encode(1, result));
    REQUIRE(decoded.has_value());
    const auto& error = std::get<Result>(*decoded).error;
    CHECK(valid_utf8(error));
    const std::string fffd = "\xef\xbf\xbd";
    CHECK(error == "out: " + fffd + ", cut " + fffd + fffd + ", " + fffd + fffd + fffd + " and " + fffd + fffd +
                       " end \xc3\xbc");
    // Text that is cut to 65535 bytes after replacement is still cut on a character boundary.
    std::string long_raw(0xFFFF - 4, 'a');
    long_raw += "\xff\xff";  // 6 bytes once replaced: only the first fits
    auto clipped = decode_body<ErrorReply>(encode_body(ErrorReply{ErrorCode::Internal, long_raw}));
    REQUIRE(clipped.has_value());
    CHECK(clipped->message == std::string(0xFFFF - 4, 'a') + fffd);
  }
}
