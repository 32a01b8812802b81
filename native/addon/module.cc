// The addon's entry point: sandbox lifecycle functions plus the stateless ops.
#include <errno.h>
#include <string.h>
#include <napi.h>

#include "ops.h"
#include "net.h"
#include "sandbox.h"

namespace tsv {
namespace {

Sandbox* Get(const Napi::Value& v) { return v.As<Napi::External<Sandbox>>().Data(); }

// createSandbox(trapBuf: Int32Array, onTrap: () => number, onEvent: (...) => void)
Napi::Value CreateSandbox(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsTypedArray() || !info[1].IsFunction() || !info[2].IsFunction()) {
    Napi::TypeError::New(env, "createSandbox(trapBuf, onTrap, onEvent)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Sandbox* sb = new Sandbox(env, info[0], info[1], info[2]);
  return Napi::External<Sandbox>::New(env, sb, [](Napi::Env, Sandbox* s) { delete s; });
}

std::vector<std::string> Strings(const Napi::Value& v) {
  std::vector<std::string> out;
  Napi::Array a = v.As<Napi::Array>();
  for (uint32_t i = 0; i < a.Length(); i++) {
    napi_value e = a.Get(i);
    size_t len = 0;
    napi_get_value_string_latin1(v.Env(), e, nullptr, 0, &len);
    std::string s(len, '\0');
    napi_get_value_string_latin1(v.Env(), e, s.data(), len + 1, &len);
    out.push_back(std::move(s));
  }
  return out;
}

// The process part of a spawn spec: {path, argv, envp, stdio}.
void ReadProcess(Napi::Env env, Napi::Object o, SpawnSpec* spec) {
  napi_value p = o.Get("path");
  size_t len = 0;
  napi_get_value_string_latin1(env, p, nullptr, 0, &len);
  spec->path.assign(len, '\0');
  napi_get_value_string_latin1(env, p, spec->path.data(), len + 1, &len);
  spec->argv = Strings(o.Get("argv"));
  spec->envp = Strings(o.Get("envp"));
  Napi::Array stdio = o.Get("stdio").As<Napi::Array>();
  for (uint32_t i = 0; i < 3; i++) spec->stdio[i] = stdio.Get(i).As<Napi::Number>().Int32Value();
}

// spawn(sb, {path, argv, envp, stdio, loaderFd, loaderSlot, initVtid, filter, restartNoIntr, namespaces}) -> 0 | -errno
Napi::Value Spawn(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Sandbox* sb = Get(info[0]);
  Napi::Object o = info[1].As<Napi::Object>();
  SpawnSpec spec;
  ReadProcess(env, o, &spec);
  spec.loaderFd = o.Get("loaderFd").As<Napi::Number>().Int32Value();
  spec.loaderSlot = o.Get("loaderSlot").As<Napi::Number>().Int32Value();
  spec.initVtid = o.Get("initVtid").As<Napi::Number>().Int32Value();
  Napi::Uint8Array f = o.Get("filter").As<Napi::Uint8Array>();
  size_t n = f.ByteLength() / sizeof(struct sock_filter);
  if (n == 0 || n > 4096 || f.ByteLength() % sizeof(struct sock_filter)) return Napi::Number::New(env, -EINVAL);
  spec.filter.resize(n);
  memcpy(spec.filter.data(), f.Data(), n * sizeof(struct sock_filter));
  Napi::Uint8Array r = o.Get("restartNoIntr").As<Napi::Uint8Array>();
  spec.restartNoIntr.assign(r.Data(), r.Data() + r.ByteLength());
  Napi::Value ns = o.Get("namespaces");
  spec.namespaces = !ns.IsBoolean() || ns.As<Napi::Boolean>().Value();
  return Napi::Number::New(env, -sb->Spawn(std::move(spec)));
}

// spawnExtra(sb, {path, argv, envp, stdio, vtid}) -> host pid (held until
// startExtra) | -errno: another process in the running sandbox (OCI exec).
Napi::Value SpawnExtra(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Sandbox* sb = Get(info[0]);
  Napi::Object o = info[1].As<Napi::Object>();
  SpawnSpec spec;
  ReadProcess(env, o, &spec);
  int32_t vtid = o.Get("vtid").As<Napi::Number>().Int32Value();
  return Napi::Number::New(env, sb->SpawnExtra(spec, vtid));
}

// startExtra(sb, pid, go) -> 0 | -errno: lets a spawned process run (or kills it).
Napi::Value StartExtra(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), Get(info[0])->StartExtra(info[1].As<Napi::Number>().Int32Value(),
                                                                info[2].ToBoolean().Value()));
}

Napi::Value Answer(const Napi::CallbackInfo& info) {
  double v[4] = {0, 0, 0, 0};
  int n = 0;
  for (size_t i = 1; i < info.Length() && n < 4; i++, n++) v[n] = info[i].As<Napi::Number>().DoubleValue();
  Get(info[0])->Answer(v, n);
  return info.Env().Undefined();
}

Napi::Value Dispose(const Napi::CallbackInfo& info) {
  Get(info[0])->Dispose();
  return info.Env().Undefined();
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("createSandbox", Napi::Function::New(env, CreateSandbox, "createSandbox"));
  exports.Set("spawn", Napi::Function::New(env, Spawn, "spawn"));
  exports.Set("spawnExtra", Napi::Function::New(env, SpawnExtra, "spawnExtra"));
  exports.Set("startExtra", Napi::Function::New(env, StartExtra, "startExtra"));
  exports.Set("answer", Napi::Function::New(env, Answer, "answer"));
  exports.Set("dispose", Napi::Function::New(env, Dispose, "dispose"));
  RegisterOps(env, exports);
  RegisterNet(env, exports);
  RegisterOciOps(env, exports);
  return exports;
}

}  // namespace
}  // namespace tsv

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return tsv::Init(env, exports); }
NODE_API_MODULE(tsvisor, InitModule)
