// JSONEncoder, written for virtual-imp with the interface of Electric Imp's JSONEncoder
// library (developer.electricimp.com/libraries/utilities/jsonencoder): JSONEncoder.encode(value)
// gives the JSON text of a Squirrel value. Tables and arrays nest; an instance with a
// _serializeRaw() method is written as what that returns, one with _serialize() as the
// encoding of what that returns; other values that JSON has no form for are written as strings.

class JSONEncoder {
  static VERSION = "2.0.0";

  static function encode(value) {
    return JSONEncoder._encode(value, 0);
  }

  static function _encode(value, depth) {
    if (depth > 32) throw "JSONEncoder: possible cyclic reference";
    switch (typeof value) {
      case "null":
        return "null";
      case "bool":
      case "integer":
        return value.tostring();
      case "float":
        return value.tostring();
      case "string":
        return JSONEncoder._string(value);
      case "table":
        local parts = [];
        foreach (k, v in value) parts.append(JSONEncoder._string(k + "") + ":" + JSONEncoder._encode(v, depth + 1));
        return "{" + JSONEncoder._join(parts) + "}";
      case "array":
        local items = [];
        foreach (v in value) items.append(JSONEncoder._encode(v, depth + 1));
        return "[" + JSONEncoder._join(items) + "]";
      case "blob":
        return JSONEncoder._string(value.tostring());
      case "instance":
        if ("_serializeRaw" in value) return value._serializeRaw() + "";
        if ("_serialize" in value) return JSONEncoder._encode(value._serialize(), depth + 1);
        return JSONEncoder._string(value + "");
      default:
        return JSONEncoder._string(value + "");
    }
  }

  static function _join(parts) {
    local out = "";
    foreach (i, p in parts) out += (i == 0 ? "" : ",") + p;
    return out;
  }

  static function _string(s) {
    local out = "";
    local from = 0;
    for (local i = 0; i < s.len(); i++) {
      local c = s[i];
      local esc = null;
      if (c == '"') esc = "\\\"";
      else if (c == '\\') esc = "\\\\";
      else if (c == '\n') esc = "\\n";
      else if (c == '\r') esc = "\\r";
      else if (c == '\t') esc = "\\t";
      else if (c >= 0 && c < 0x20) esc = format("\\u%04x", c);
      if (esc != null) {
        out += s.slice(from, i) + esc;
        from = i + 1;
      }
    }
    return "\"" + out + s.slice(from) + "\"";
  }
}
