// The simdjson On-Demand rung: the JSON event pipeline of docs/specs/pipeline.md written on
// simdjson's On-Demand API (Debian's libsimdjson-dev), behind the rung protocol, which it
// implements itself. Usage: PROGRAM pipeline N.
//
// The file at $LADDER_INPUT is read into a padded buffer before timing (simdjson needs the
// padding); each iteration is bytes to canonical summary: parser.iterate, one walk over the
// events, the aggregation and the summary text. The parser and the tables are reused between
// iterations, as the C rung reuses its pipeline.
//
// The rules are the C pipeline's (src/pipeline/pipeline.h), stricter than the Python reference,
// never looser: every event an object with an integer user_id that fits 64 bits, a string
// event_type, a timestamp string "YYYY-MM-DDTHH:MM:SS" ('T' or ' ') with Z or +HH:MM / -HH:MM,
// and a metadata object whose page, when present, is a string and whose amount, when present, is
// a number; fields in any order, other fields ignored, the last of duplicate keys wins (Python's
// dicts); keys compared unescaped ("user\u005fid" is user_id). Where simdjson On-Demand is looser
// than ladder's reader is its own design: a value the walk skips (another field, another
// metadata key) is only checked for structure and UTF-8 by its stage 1, so a misspelt literal or
// a malformed number there is not an error (ladder's reader rejects both); see rung.json.
#include <simdjson.h>

#include "ladder_rung.hpp"
#include "../_shared/corpus/corpus_simdjson.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <string_view>
#include <unistd.h>
#include <unordered_map>
#include <vector>

using namespace simdjson;

namespace {

using ladder_rung::emit;
using ladder_rung::now_ns;

// ---- time ----------------------------------------------------------------------------------

int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

// Epoch seconds of a timestamp in the spec's form; nullptr, or why s is not one.
const char *parse_timestamp(std::string_view s, int64_t *epoch)
{
    static const char *const shape = "not YYYY-MM-DDTHH:MM:SS with Z or a +HH:MM offset";
    if (s.size() != 20 && s.size() != 25)
        return shape;
    const unsigned char *u = (const unsigned char *)s.data();
    bool bad = false;
    auto dig = [&](int i) {
        unsigned d = (unsigned)u[i] - '0';
        bad |= d > 9;
        return (int)d;
    };
    bad |= u[4] != '-' || u[7] != '-' || (u[10] != 'T' && u[10] != ' ') || u[13] != ':' || u[16] != ':';
    int year = dig(0) * 1000 + dig(1) * 100 + dig(2) * 10 + dig(3);
    int mo = dig(5) * 10 + dig(6), d = dig(8) * 10 + dig(9);
    int h = dig(11) * 10 + dig(12), mi = dig(14) * 10 + dig(15), sec = dig(17) * 10 + dig(18);
    int64_t offset = 0;
    if (s.size() == 20) {
        bad |= u[19] != 'Z';
        if (bad)
            return shape;
    } else {
        int oh = dig(20) * 10 + dig(21), om = dig(23) * 10 + dig(24);
        bad |= (u[19] != '+' && u[19] != '-') || u[22] != ':';
        if (bad)
            return shape;
        if (oh > 23 || om > 59)
            return "UTC offset out of range";
        offset = (oh * 3600 + om * 60) * (u[19] == '-' ? -1 : 1);
    }
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 1)
        return "year out of range";
    if (mo < 1 || mo > 12)
        return "month out of range";
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (d < 1 || (d > mdays[mo - 1] && !(mo == 2 && d == 29 && leap)))
        return "day out of range";
    if (h > 23 || mi > 59 || sec > 59)
        return "time of day out of range";
    *epoch = days_from_civil(year, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset;
    return nullptr;
}

// ---- CPython's float formatting --------------------------------------------------------------

// round(x, 2): correctly rounded from x's exact binary value, ties to even (std::to_chars with a
// precision formats as printf does, exactly), read back to the nearest double (std::from_chars).
double round2(double x)
{
    char buf[400];
    auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed, 2);
    double v = 0.0;
    std::from_chars(buf, r.ptr, v);
    return v;
}

// repr(x) for a finite x: the shortest digits that read back (std::to_chars), laid out as
// CPython's repr does: positional for decimal exponents -4 to 15 (".0" on whole numbers),
// otherwise d.ddde+XX.
void put_repr(std::string &out, double x)
{
    char sci[64];
    auto r = std::to_chars(sci, sci + sizeof sci, x, std::chars_format::scientific);
    std::string_view v(sci, (size_t)(r.ptr - sci));
    bool neg = v[0] == '-';
    if (neg)
        v.remove_prefix(1);
    size_t e = v.find('e');
    int exp = atoi(std::string(v.substr(e + 1)).c_str());
    std::string digits;
    for (char c : v.substr(0, e))
        if (c != '.')
            digits += c;
    if (neg)
        out += '-';
    int nd = (int)digits.size();
    if (exp >= -4 && exp < 16) {
        if (exp < 0) {
            out += "0.";
            out.append((size_t)(-exp - 1), '0');
            out += digits;
        } else if (nd <= exp + 1) {
            out += digits;
            out.append((size_t)(exp + 1 - nd), '0');
            out += ".0";
        } else {
            out.append(digits, 0, (size_t)exp + 1);
            out += '.';
            out.append(digits, (size_t)exp + 1, std::string::npos);
        }
    } else {
        out += digits[0];
        if (nd > 1) {
            out += '.';
            out.append(digits, 1, std::string::npos);
        }
        char ex[16];
        snprintf(ex, sizeof ex, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
        out += ex;
    }
}

// json.dumps' string (ensure_ascii); s is valid UTF-8 (simdjson checked).
void put_pystr(std::string &out, std::string_view str)
{
    static const char hex[] = "0123456789abcdef";
    out += '"';
    const unsigned char *s = (const unsigned char *)str.data(), *end = s + str.size();
    while (s < end) {
        unsigned c = *s;
        if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
            out += (char)c;
            s++;
            continue;
        }
        unsigned cp;
        if (c < 0x80) {
            s++;
            cp = c;
            const char *esc = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n" : c == '\r' ? "\\r"
                            : c == '\t' ? "\\t" : c == '\b' ? "\\b" : c == '\f' ? "\\f" : nullptr;
            if (esc) {
                out += esc;
                continue;
            }
        } else if (c < 0xE0) {
            cp = (c & 0x1Fu) << 6 | (s[1] & 0x3Fu);
            s += 2;
        } else if (c < 0xF0) {
            cp = (c & 0x0Fu) << 12 | (s[1] & 0x3Fu) << 6 | (s[2] & 0x3Fu);
            s += 3;
        } else {
            cp = (c & 0x07u) << 18 | (s[1] & 0x3Fu) << 12 | (s[2] & 0x3Fu) << 6 | (s[3] & 0x3Fu);
            s += 4;
        }
        unsigned units[2] = {cp, 0};
        int nu = 1;
        if (cp >= 0x10000) {
            units[0] = 0xD800 + ((cp - 0x10000) >> 10);
            units[1] = 0xDC00 + ((cp - 0x10000) & 0x3FF);
            nu = 2;
        }
        for (int i = 0; i < nu; i++) {
            char u[7] = {'\\', 'u', hex[units[i] >> 12 & 15], hex[units[i] >> 8 & 15], hex[units[i] >> 4 & 15],
                         hex[units[i] & 15], 0};
            out += u;
        }
    }
    out += '"';
}

// Where the iterator is in the input, or nullptr at the end (or when it cannot say).
template <typename T> const char *where(T &it)
{
    const char *at = nullptr;
    if (it.current_location().get(at))
        return nullptr;
    return at;
}

// ---- the pipeline --------------------------------------------------------------------------

enum { T_PAGE_VIEW, T_PURCHASE, T_CLICK, T_SEARCH, T_ADD_TO_CART, N_KEPT, T_OTHER = N_KEPT };
const char *const TYPE_UPPER[N_KEPT] = {"PAGE_VIEW", "PURCHASE", "CLICK", "SEARCH", "ADD_TO_CART"};

int classify(std::string_view s)
{
    if (s == "page_view")
        return T_PAGE_VIEW;
    if (s == "purchase")
        return T_PURCHASE;
    if (s == "click")
        return T_CLICK;
    if (s == "search")
        return T_SEARCH;
    if (s == "add_to_cart")
        return T_ADD_TO_CART;
    return T_OTHER;
}

struct user {
    int64_t id, first, last;
    double total;
    uint32_t events, high;
    uint32_t type_count[N_KEPT];
    uint8_t type_order[N_KEPT], ntypes;
    std::vector<std::pair<uint32_t, uint32_t>> pages; // (page id, count), first-reached order
};

struct failure {
    const char *at; // where in the input, or nullptr
    std::string msg;
};

class pipeline {
public:
    // Runs over the padded input; false with fail_ set on bad input.
    bool run(const padded_string &input);
    const std::string &summary() const { return out_; }
    const failure &error() const { return fail_; }
    int64_t event() const { return event_; }

private:
    ondemand::parser parser_;
    std::vector<user> users_;
    size_t nusers_ = 0;
    std::unordered_map<int64_t, uint32_t> user_index_;
    std::vector<std::string> pages_;
    std::unordered_map<std::string, uint32_t> page_index_;
    std::string page_key_; // lookup scratch
    std::vector<uint32_t> order_;
    std::string out_;
    failure fail_;
    int64_t event_ = -1;
    int64_t window_lo_ = days_from_civil(2025, 3, 1) * 86400;
    int64_t window_hi_ = days_from_civil(2025, 9, 30) * 86400 + 86399;

    bool fail(const char *at, std::string msg)
    {
        fail_.at = at;
        fail_.msg = std::move(msg);
        return false;
    }
    bool fail(ondemand::value &v, error_code e, const char *what)
    {
        const char *at = where(v);
        return fail(at, std::string(what) + ": " + error_message(e));
    }
    bool mistyped(ondemand::value &v, const char *field, const char *want);
    uint32_t page_id(std::string_view s);
    user &user_for(int64_t id);
    void summarize();
};

enum key_kind { K_OTHER, K_USER_ID, K_EVENT_TYPE, K_TIMESTAMP, K_METADATA, K_PAGE, K_AMOUNT };

key_kind key_of(std::string_view k)
{
    switch (k.size()) {
    case 4: return k == "page" ? K_PAGE : K_OTHER;
    case 6: return k == "amount" ? K_AMOUNT : K_OTHER;
    case 7: return k == "user_id" ? K_USER_ID : K_OTHER;
    case 8: return k == "metadata" ? K_METADATA : K_OTHER;
    case 9: return k == "timestamp" ? K_TIMESTAMP : K_OTHER;
    case 10: return k == "event_type" ? K_EVENT_TYPE : K_OTHER;
    default: return K_OTHER;
    }
}

// raw[0..) == lit followed by the closing quote: a raw key that is exactly lit. The input is
// padded (simdjson's SIMDJSON_PADDING), so reading sizeof lit bytes is always in bounds.
template <size_t N> bool raw_is(const char *raw, const char (&lit)[N])
{
    return memcmp(raw, lit, N - 1) == 0 && raw[N - 1] == '"';
}

// The field's key. First simdjson's own idiom, the raw (escaped) bytes against each key the walk
// wants; a key that is none of them is unescaped when it holds a backslash, since an escaped
// spelling may still name one of them.
error_code field_key(ondemand::field &f, bool metadata, key_kind *kind)
{
    const char *r = f.key().raw();
    if (metadata) {
        if (raw_is(r, "page") || raw_is(r, "amount")) {
            *kind = r[0] == 'p' ? K_PAGE : K_AMOUNT;
            return SUCCESS;
        }
    } else {
        if (raw_is(r, "user_id") || raw_is(r, "event_type") || raw_is(r, "timestamp") || raw_is(r, "metadata")) {
            *kind = r[0] == 'u' ? K_USER_ID : r[0] == 'e' ? K_EVENT_TYPE : r[0] == 't' ? K_TIMESTAMP : K_METADATA;
            return SUCCESS;
        }
    }
    *kind = K_OTHER;
    size_t n = 0;
    while (r[n] != '"' && r[n] != '\\')
        n++;
    if (r[n] == '"')
        return SUCCESS;
    std::string_view k;
    if (auto e = f.unescaped_key().get(k))
        return e;
    key_kind got = key_of(k);
    bool meta_key = got == K_PAGE || got == K_AMOUNT;
    *kind = got != K_OTHER && meta_key == metadata ? got : K_OTHER;
    return SUCCESS;
}

bool pipeline::mistyped(ondemand::value &v, const char *field, const char *want)
{
    ondemand::json_type t;
    if (auto e = v.type().get(t))
        return fail(v, e, field);
    const char *got = t == ondemand::json_type::boolean ? "a boolean"
                      : t == ondemand::json_type::null  ? "null"
                      : t == ondemand::json_type::number ? "a number"
                      : t == ondemand::json_type::string ? "a string"
                      : t == ondemand::json_type::array  ? "an array"
                                                         : "an object";
    const char *at = where(v);
    return fail(at, std::string(field) + " must be " + want + ", not " + got);
}

uint32_t pipeline::page_id(std::string_view s)
{
    page_key_.assign(s);
    auto it = page_index_.find(page_key_);
    if (it != page_index_.end())
        return it->second;
    uint32_t id = (uint32_t)pages_.size();
    pages_.emplace_back(s);
    page_index_.emplace(page_key_, id);
    return id;
}

user &pipeline::user_for(int64_t id)
{
    auto [it, added] = user_index_.try_emplace(id, (uint32_t)nusers_);
    if (!added)
        return users_[it->second];
    if (nusers_ == users_.size())
        users_.emplace_back();
    user &u = users_[nusers_++];
    u.id = id;
    u.events = u.high = u.ntypes = 0;
    u.total = 0.0;
    std::fill(std::begin(u.type_count), std::end(u.type_count), 0u);
    u.pages.clear();
    return u;
}

bool pipeline::run(const padded_string &input)
{
    nusers_ = 0;
    user_index_.clear();
    pages_.clear();
    page_index_.clear();
    out_.clear();
    event_ = -1;
    fail_ = failure{nullptr, {}};

    ondemand::document doc;
    if (auto e = parser_.iterate(input).get(doc))
        return fail(nullptr, error_message(e));
    ondemand::array events;
    if (auto e = doc.get_array().get(events)) {
        const char *at = where(doc);
        return fail(at ? at : input.data(), e == INCORRECT_TYPE ? "the input must be a JSON array of events"
                                                                : error_message(e));
    }
    int64_t index = 0;
    for (auto ev_r : events) {
        event_ = index++;
        ondemand::value ev_v;
        if (auto e = ev_r.get(ev_v))
            return fail(where(doc), error_message(e));
        const char *ev_at = where(ev_v);
        ondemand::object ev;
        if (ev_v.get_object().get(ev))
            return mistyped(ev_v, "event", "an object");
        int64_t uid = 0, ts = 0;
        int type = T_OTHER;
        double amount = 0.0;
        std::string_view page;
        bool have_page = false;
        unsigned have = 0;
        for (auto field_r : ev) {
            ondemand::field field;
            key_kind k;
            if (auto e = std::move(field_r).get(field))
                return fail(where(doc), error_message(e));
            if (auto e = field_key(field, false, &k))
                return fail(where(doc), error_message(e));
            ondemand::value v = field.value();
            switch (k) {
            case K_USER_ID: {
                ondemand::json_type t;
                if (auto e = v.type().get(t))
                    return fail(v, e, "user_id");
                if (t != ondemand::json_type::number)
                    return mistyped(v, "user_id", "an integer");
                if (v.get_int64().get(uid))
                    return fail(v, INCORRECT_TYPE, "user_id must be an integer (no fraction or exponent) that fits 64 bits");
                have |= 1;
                break;
            }
            case K_EVENT_TYPE: {
                std::string_view s;
                if (v.get_string().get(s))
                    return mistyped(v, "event_type", "a string");
                type = classify(s);
                have |= 2;
                break;
            }
            case K_TIMESTAMP: {
                const char *ts_at = where(v);
                std::string_view s;
                if (v.get_string().get(s))
                    return mistyped(v, "timestamp", "a string");
                if (const char *why = parse_timestamp(s, &ts)) {
                    return fail(ts_at, "bad timestamp \"" + std::string(s.substr(0, 40)) + "\": " + why);
                }
                have |= 4;
                break;
            }
            case K_METADATA: {
                ondemand::object meta;
                if (v.get_object().get(meta))
                    return mistyped(v, "metadata", "an object");
                amount = 0.0;
                have_page = false;
                page = {};
                for (auto m_r : meta) {
                    ondemand::field m;
                    key_kind mk;
                    if (auto e = std::move(m_r).get(m))
                        return fail(where(doc), error_message(e));
                    if (auto e = field_key(m, true, &mk))
                        return fail(where(doc), error_message(e));
                    ondemand::value mv = m.value();
                    if (mk == K_PAGE) {
                        if (mv.get_string().get(page))
                            return mistyped(mv, "metadata.page", "a string");
                        // simdjson's unescaped strings live in the parser's buffer for the
                        // whole document, so the view stays valid after later strings
                        have_page = true;
                    } else if (mk == K_AMOUNT) {
                        ondemand::json_type t;
                        if (auto e = mv.type().get(t))
                            return fail(mv, e, "metadata.amount");
                        if (t != ondemand::json_type::number)
                            return mistyped(mv, "metadata.amount", "a number");
                        if (auto e = mv.get_double().get(amount))
                            return fail(mv, e, "metadata.amount");
                    }
                }
                have |= 8;
                break;
            }
            default: break; // skipped by the next iteration
            }
        }
        if (have != 15) {
            const char *missing = !(have & 1) ? "user_id" : !(have & 2) ? "event_type" : !(have & 4) ? "timestamp" : "metadata";
            return fail(ev_at, std::string("missing field '") + missing + "'");
        }
        if (type == T_OTHER || ts < window_lo_ || ts > window_hi_)
            continue;
        user &u = user_for(uid);
        uint32_t pid = page_id(have_page ? page : std::string_view());
        if (u.events == 0) {
            u.first = u.last = ts;
        } else {
            u.first = std::min(u.first, ts);
            u.last = std::max(u.last, ts);
        }
        u.events++;
        u.total += amount;
        u.high += amount > 100.0;
        if (u.type_count[type]++ == 0)
            u.type_order[u.ntypes++] = (uint8_t)type;
        auto pc = std::find_if(u.pages.begin(), u.pages.end(), [&](auto &p) { return p.first == pid; });
        if (pc != u.pages.end())
            pc->second++;
        else
            u.pages.emplace_back(pid, 1);
    }
    // a failure the loop did not see (an unterminated array) or text after it
    event_ = -1;
    // current_location() is OUT_OF_BOUNDS exactly when every token has been read
    if (const char *at = where(doc))
        return fail(at, "unexpected text after the array");
    summarize();
    return true;
}

void pipeline::summarize()
{
    double sum = 0.0;
    uint64_t events = 0, high = 0;
    for (size_t i = 0; i < nusers_; i++) {
        sum += users_[i].total;
        events += users_[i].events;
        high += users_[i].high;
    }
    order_.resize(nusers_);
    for (size_t i = 0; i < nusers_; i++)
        order_[i] = (uint32_t)i;
    std::sort(order_.begin(), order_.end(), [&](uint32_t a, uint32_t b) { return users_[a].id < users_[b].id; });
    char num[32];
    out_ += "{\"total_users\": ";
    out_.append(num, (size_t)(std::to_chars(num, num + sizeof num, (uint64_t)nusers_).ptr - num));
    out_ += ", \"total_events\": ";
    out_.append(num, (size_t)(std::to_chars(num, num + sizeof num, events).ptr - num));
    out_ += ", \"total_amount\": ";
    put_repr(out_, round2(sum));
    out_ += ", \"total_high_value\": ";
    out_.append(num, (size_t)(std::to_chars(num, num + sizeof num, high).ptr - num));
    out_ += ", \"users\": [";
    for (size_t k = 0; k < nusers_; k++) {
        const user &u = users_[order_[k]];
        int top_type = u.type_order[0];
        for (int i = 1; i < u.ntypes; i++)
            if (u.type_count[u.type_order[i]] > u.type_count[top_type])
                top_type = u.type_order[i];
        size_t top_page = 0;
        for (size_t i = 1; i < u.pages.size(); i++)
            if (u.pages[i].second > u.pages[top_page].second)
                top_page = i;
        if (k)
            out_ += ", ";
        out_ += "{\"user_id\": ";
        out_.append(num, (size_t)(std::to_chars(num, num + sizeof num, u.id).ptr - num));
        out_ += ", \"event_count\": ";
        out_.append(num, (size_t)(std::to_chars(num, num + sizeof num, u.events).ptr - num));
        out_ += ", \"total_amount\": ";
        put_repr(out_, round2(u.total));
        out_ += ", \"high_value_count\": ";
        out_.append(num, (size_t)(std::to_chars(num, num + sizeof num, u.high).ptr - num));
        out_ += ", \"duration_seconds\": ";
        put_repr(out_, round2((double)u.last - (double)u.first));
        out_ += ", \"top_event_type\": \"";
        out_ += TYPE_UPPER[top_type];
        out_ += "\", \"top_page\": ";
        put_pystr(out_, pages_[u.pages[top_page].first]);
        out_ += '}';
    }
    out_ += "]}";
}

// "PATH:LINE:COLUMN (byte OFFSET, event N): MSG", or without the position when there is none.
std::string describe(const padded_string &input, const pipeline &pl, const char *path)
{
    const failure &f = pl.error();
    std::string s = path;
    if (f.at && f.at >= input.data() && f.at <= input.data() + input.size()) {
        size_t off = (size_t)(f.at - input.data()), line = 1, col = 1;
        for (size_t i = 0; i < off; i++) {
            if (input.data()[i] == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        char pos[128];
        if (pl.event() >= 0)
            snprintf(pos, sizeof pos, ":%zu:%zu (byte %zu, event %lld)", line, col, off, (long long)pl.event());
        else
            snprintf(pos, sizeof pos, ":%zu:%zu (byte %zu)", line, col, off);
        s += pos;
    } else if (pl.event() >= 0) {
        s += " (event " + std::to_string(pl.event()) + ")";
    }
    return s + ": " + f.msg;
}

} // namespace

namespace {

// json-corpus: the canonical digest (docs/specs/json-corpus.md) of one value, read where the walk
// reaches it; every value is read, so every number is parsed and every string unescaped. Written
// as simdjson's documentation walks a tree: one switch on type() with a case for every type, the
// value passed by value and never by address, so that GCC passes it in registers (an .isra
// clone). With the scalars in a helper that took the value by reference it stayed in memory, and
// every call copied it with one 16-byte load over two narrower stores, a store-forwarding stall:
// the walk took 2.5x the time of this one for 14% more instructions.
error_code corpus_walk(ondemand::value v, corpus_digest *d)
{
    ondemand::json_type t;
    if (auto e = v.type().get(t))
        return e;
    switch (t) {
    case ondemand::json_type::object: {
        ondemand::object obj;
        if (auto e = v.get_object().get(obj))
            return e;
        corpus_object(d);
        for (auto field : obj) {
            std::string_view key;
            ondemand::value fv;
            if (auto e = field.unescaped_key().get(key))
                return e;
            corpus_key(d, key.data(), key.size());
            if (auto e = field.value().get(fv))
                return e;
            if (auto e = corpus_walk(fv, d))
                return e;
        }
        corpus_tag(d, '}');
        return SUCCESS;
    }
    case ondemand::json_type::array: {
        ondemand::array arr;
        if (auto e = v.get_array().get(arr))
            return e;
        corpus_array(d);
        for (auto child : arr) {
            ondemand::value cv;
            if (auto e = child.get(cv))
                return e;
            if (auto e = corpus_walk(cv, d))
                return e;
        }
        corpus_tag(d, ']');
        return SUCCESS;
    }
    case ondemand::json_type::string: {
        std::string_view s;
        if (auto e = v.get_string().get(s))
            return e;
        corpus_string(d, s.data(), s.size());
        return SUCCESS;
    }
    case ondemand::json_type::number: {
        // integers too: get_double gives the correctly rounded double of the number's text
        double x;
        if (auto e = v.get_double().get(x))
            return e;
        corpus_number(d, x);
        return SUCCESS;
    }
    case ondemand::json_type::boolean: {
        bool b;
        if (auto e = v.get_bool().get(b))
            return e;
        corpus_literal(d, b ? 't' : 'f');
        return SUCCESS;
    }
    case ondemand::json_type::null: {
        bool null;
        if (auto e = v.is_null().get(null))
            return e;
        if (!null)
            return INCORRECT_TYPE;
        corpus_literal(d, 'n');
        return SUCCESS;
    }
    }
    return INCORRECT_TYPE;
}

// json-corpus: a document whose root is a string, number or literal, which On-Demand reads from
// the document itself (it is not a value); the same digest as corpus_walk's cases.
error_code corpus_scalar_root(ondemand::document &doc, ondemand::json_type t, corpus_digest *d)
{
    error_code e = SUCCESS;
    if (t == ondemand::json_type::string) {
        std::string_view s;
        if (!(e = doc.get_string().get(s)))
            corpus_string(d, s.data(), s.size());
    } else if (t == ondemand::json_type::number) {
        double x;
        if (!(e = doc.get_double().get(x)))
            corpus_number(d, x);
    } else if (t == ondemand::json_type::boolean) {
        bool b;
        if (!(e = doc.get_bool().get(b)))
            corpus_literal(d, b ? 't' : 'f');
    } else {
        bool null;
        if (!(e = doc.is_null().get(null)) && !null)
            e = INCORRECT_TYPE;
        if (!e)
            corpus_literal(d, 'n');
    }
    return e;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "json-corpus") == 0) {
        ondemand::parser parser; // one for every file: it keeps the capacity of the largest
        return ladder_corpus::run(argv[2], [&](int, const padded_string &in, corpus_digest *d) {
            ondemand::document doc;
            ondemand::value root;
            ondemand::json_type t;
            error_code e = parser.iterate(in).get(doc);
            if (!e)
                e = doc.type().get(t);
            if (!e && t != ondemand::json_type::object && t != ondemand::json_type::array)
                e = corpus_scalar_root(doc, t, d);
            else if (!e && !(e = doc.get_value().get(root)))
                e = corpus_walk(root, d);
            const char *at;
            // current_location() is OUT_OF_BOUNDS exactly when every token has been read
            if (!e && !doc.current_location().get(at))
                e = TRAILING_CONTENT;
            return e ? std::string(error_message(e)) : std::string();
        });
    }
    if (argc != 3 || strcmp(argv[1], "pipeline") != 0) {
        fprintf(stderr, "usage: %s pipeline|json-corpus N\n", argc > 0 ? argv[0] : "simdjson-ondemand-rung");
        return 2;
    }
    ladder_rung::config cfg;
    if (!ladder_rung::read_config(&cfg))
        return 2;
    long warmup = cfg.warmup, repeat = cfg.repeat, fd = cfg.fd;
    const char *path;
    padded_string input;
    if (ladder_corpus::load_input("the event log to read", &path, input))
        return 1;
    if (ladder_corpus::emit_start((int)fd))
        return 2;
    pipeline pl;
    for (long i = 0; i < warmup + repeat; i++) {
        long long t0 = now_ns();
        bool ok = pl.run(input);
        long long t1 = now_ns();
        if (!ok) {
            fprintf(stderr, "%s\n", describe(input, pl, path).c_str());
            return 1;
        }
        emit((int)fd, i < warmup ? "warmup_ns" : "ns", t1 - t0);
    }
    if (fd >= 0)
        close((int)fd);
    const std::string &s = pl.summary();
    return fwrite(s.data(), 1, s.size(), stdout) == s.size() && fflush(stdout) == 0 ? 0 : 1;
}
