/*
 * Where a typed array's bytes are (js_frame.h), read from QuickJS's
 * internals: its public way takes and drops a reference to the buffer. A
 * definition, not a declaration: included once per program, by the
 * translation unit that builds quickjs.c (boot/js_frame.c in the guest,
 * tools/qjsbc_engine.c on the host).
 */
uint8_t *js_typed_array_bytes(JSValueConst v, size_t *length) {
    if (JS_VALUE_GET_TAG(v) != JS_TAG_OBJECT) return NULL;
    JSObject *p = JS_VALUE_GET_OBJ(v);
    if (p->class_id < JS_CLASS_UINT8C_ARRAY || p->class_id > JS_CLASS_FLOAT64_ARRAY) return NULL;
    JSTypedArray *ta = p->u.typed_array;
    JSArrayBuffer *abuf = ta->buffer->u.array_buffer;
    if (abuf->detached) return NULL;
    *length = ta->length;
    return abuf->data + ta->offset;
}
