// A fixed-size ring buffer: the newest `size` values, oldest first.
class RingBuffer {
  static VERSION = "1.0.0";

  _items = null;
  _next = 0;
  _count = 0;

  constructor(size) {
    if (size < 1) throw "RingBuffer size must be at least 1";
    _items = array(size, null);
  }

  function push(value) {
    _items[_next] = value;
    _next = (_next + 1) % _items.len();
    if (_count < _items.len()) _count++;
  }

  function len() {
    return _count;
  }

  // The values, oldest first.
  function values() {
    local out = [];
    local start = (_next - _count + _items.len()) % _items.len();
    for (local i = 0; i < _count; i++) out.append(_items[(start + i) % _items.len()]);
    return out;
  }
}
