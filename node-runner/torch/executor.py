"""CyxWiz torch executor: trains a CyxWiz model in PyTorch for the node-runner.

Speaks JSON lines: one request per stdin line, one answer per stdout line, in order.
  {"id", "op": "init", "code", "className"?, "weights"? (b64) | "weightsPath"?, "optimizer", "schedule", "seed", "metadata"?}
  {"id", "op": "step", "batch", "inputs": {id: b64 f32}, "labels": {id: b64 f32|i32}, "masks"?: {id: b64 u8},
   "want"?: {"grads"?, "weights"?}}           -> {"loss", "losses", "lr", "step", "grads"?, "weights"?}
  {"id", "op": "forward", "batch", "inputs"}  -> {"outputs": b64 safetensors, one tensor per scored node}  (inference)
  {"id", "op": "checkpoint", "path"?}         -> {"checkpoint": b64 safetensors in CyxWiz's checkpoint format}
                                                 or, with a path, {"path", "bytes"} (written atomically)
  {"id", "op": "shutdown"}                    -> {} and exit 0
Answers are {"id", "ok": true, ...} or {"id", "ok": false, "error": {"code", "message"}}; a bad request
never ends the process. The first line written is {"ready": true, "torch", "device"} (or ready false
with an error when torch cannot be imported). `code` is model.py as compute/export/pytorch generates
it, so the executor runs exactly what the export gives users. Binary payloads are base64; weights,
gradients and checkpoints are safetensors bytes with CyxWiz names and layouts.

Dropout masks are the WGSL engine's (a PCG hash of the step seed, the layer's salt and the index), so
a step here matches the same step on Dawn and a run can move between the two; a request may instead
give fixed masks per Dropout node.
"""
import base64
import json
import math
import os
import sys
import traceback

PROTOCOL_OUT = sys.stdout
# Anything else that prints (generated code, torch warnings) goes to stderr, never into the protocol.
sys.stdout = sys.stderr

M32 = 0xFFFFFFFF


def emit(message):
    PROTOCOL_OUT.write(json.dumps(message) + "\n")
    PROTOCOL_OUT.flush()


try:
    import torch
    import torch.nn.functional as F
    from safetensors.torch import load as load_safetensors
    from safetensors.torch import save as save_safetensors
    from torch import nn
except Exception as error:  # noqa: BLE001 - any import failure means the same thing to the runner
    emit({"ready": False, "error": {"code": "TORCH_MISSING", "message": f"PyTorch could not be imported: {error}"}})
    sys.exit(3)


class ExecutorError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


# --- the WGSL engine's dropout masks (compute/kernels/dropout-random.ts, compute/engine/gpu-engine.ts) ---

def pcg(v):
    state = (v * 747796405 + 2891336453) & M32
    word = (((state >> ((state >> 28) + 4)) ^ state) * 277803737) & M32
    return ((word >> 22) ^ word) & M32


def pcg_tensor(v):
    state = (v * 747796405 + 2891336453) & M32
    word = ((torch.bitwise_right_shift(state, (state >> 28) + 4) ^ state) * 277803737) & M32
    return ((word >> 22) ^ word) & M32


def mix_step(seed, step):
    h = ((((seed & M32) ^ 0x9E3779B9) * 0x85EBCA6B) & M32) ^ (step & M32)
    h = ((h ^ (h >> 13)) * 0xC2B2AE35) & M32
    return (h ^ (h >> 16)) & M32


def engine_mask(seed, step, salt, count, rate):
    base = pcg((mix_step(seed, step) ^ salt) & M32)
    h = pcg_tensor((torch.arange(count, dtype=torch.int64) + base) & M32)
    return (h >= min(M32, round(rate * 2**32))).to(torch.float32)


class MaskedDropout(nn.Module):
    """Inverted dropout with the mask the session supplies for this step (engine hash or a fixed one)."""

    def __init__(self, node_id, rate, salt, session):
        super().__init__()
        self.node_id, self.rate, self.salt = node_id, rate, salt
        self.session = [session]  # a list, so the session is not registered as a submodule

    def forward(self, x):
        if not self.training or self.rate == 0:
            return x
        mask = self.session[0].mask_for(self, x.numel()).to(x.device).reshape(x.shape)
        return x * mask * (1.0 / (1.0 - self.rate))


# --- our schedule (compute/layers/lr-schedules.ts learningRateAt) ---

def learning_rate_at(schedule, base, step):
    if schedule["type"] == "step":
        return base * schedule["gamma"] ** (step // schedule["stepSize"])
    if schedule["type"] == "cosine":
        progress = min(step, schedule["totalSteps"]) / schedule["totalSteps"]
        return schedule["minLr"] + (base - schedule["minLr"]) * (1 + math.cos(math.pi * progress)) / 2
    return base


def slot_names(config):
    return ["velocity"] if config["type"] == "sgd" else ["m", "v"]


def b64_tensor(text, dtype, what):
    try:
        raw = base64.b64decode(text, validate=True)
    except Exception:  # noqa: BLE001
        raise ExecutorError("BAD_REQUEST", f"{what} is not base64")
    size = torch.tensor([], dtype=dtype).element_size()
    if len(raw) % size:
        raise ExecutorError("BAD_FEED", f"{what} has {len(raw)} bytes, not a whole number of {dtype} values")
    return torch.frombuffer(bytearray(raw), dtype=dtype) if raw else torch.zeros(0, dtype=dtype)


def b64(data):
    return base64.b64encode(data).decode("ascii")


class Session:
    def __init__(self, request, device):
        self.device = device
        namespace = {"__name__": "cyxwiz_model"}
        try:
            exec(compile(request["code"], "model.py", "exec"), namespace)
            self.model = namespace[request.get("className", "CyxWizModel")]()
        except Exception as error:  # noqa: BLE001
            raise ExecutorError("BAD_MODEL_CODE", f"model.py does not run: {type(error).__name__}: {error}")
        self.ns = namespace
        self.seed = int(request.get("seed", 0))
        self.config = request["optimizer"]
        self.schedule = request.get("schedule") or {"type": "constant"}
        self.metadata = {k: str(v) for k, v in (request.get("metadata") or {}).items()}
        self.step = 0
        self.fixed_masks = {}
        salt = 0
        for node_id, attribute, rate in namespace["DROPOUTS"]:
            # The engine salts only the Dropout layers that drop something, in plan order.
            setattr(self.model, attribute, MaskedDropout(node_id, rate, (salt * 0x9E3779B9) & M32 if rate else 0, self))
            if rate:
                salt += 1
        checkpoint = None
        if request.get("weights") or request.get("weightsPath"):
            tensors, file_metadata = self.read_safetensors(request.get("weights"), request.get("weightsPath"))
            try:
                namespace["load_cyxwiz_tensors"](self.model, tensors)
            except (KeyError, RuntimeError) as error:
                raise ExecutorError("BAD_WEIGHTS", str(error).strip('"'))
            if file_metadata.get("kind") == "checkpoint":
                checkpoint = tensors
        self.model.to(device)
        named = dict(self.model.named_parameters())
        # (CyxWiz name, torch parameter, layout conversion) of every trainable parameter, in plan order.
        self.trainable = [(name, named[key], conversion) for name, (key, conversion) in namespace["WEIGHT_MAP"].items() if key in named]
        self.optimizer = self.make_optimizer([p for _, p, _ in self.trainable])
        self.last_velocity = {}
        if checkpoint is not None:
            self.restore(checkpoint)

    def read_safetensors(self, text, path):
        if path is not None:
            try:
                with open(path, "rb") as file:
                    raw = file.read()
            except OSError as error:
                raise ExecutorError("BAD_WEIGHTS", f"cannot read the weights file: {error.strerror}: {path}")
        try:
            if path is None:
                raw = base64.b64decode(text, validate=True)
            tensors = load_safetensors(raw)
            length = int.from_bytes(raw[:8], "little")
            file_metadata = json.loads(raw[8 : 8 + length]).get("__metadata__") or {}
        except Exception as error:  # noqa: BLE001
            raise ExecutorError("BAD_WEIGHTS", f"the weights are not a readable safetensors file: {error}")
        return tensors, file_metadata

    def make_optimizer(self, params):
        c = self.config
        if c["type"] == "sgd":
            return torch.optim.SGD(params, lr=c["lr"], momentum=c["momentum"], weight_decay=c["weightDecay"], nesterov=bool(c["nesterov"]) and c["momentum"] > 0)
        betas = (c["beta1"], c["beta2"])
        if c["type"] == "adamw":
            return torch.optim.AdamW(params, lr=c["lr"], betas=betas, eps=c["eps"], weight_decay=c["weightDecay"])
        if c["type"] == "adam":
            return torch.optim.Adam(params, lr=c["lr"], betas=betas, eps=c["eps"], weight_decay=c["weightDecay"])
        raise ExecutorError("BAD_OPTIMIZER", f"unknown optimizer type {c['type']!r}")

    # --- optimizer state <-> our checkpoint slots (flattened, in our layouts) ---

    def ours(self, tensor, conversion):
        return self.ns["_from_torch"](tensor.detach().float().cpu(), conversion).reshape(-1)

    def theirs(self, flat, param, conversion):
        shape = self.ns["_from_torch"](param.detach().cpu(), conversion).shape
        return self.ns["_to_torch"](flat.reshape(shape), conversion).to(param.device).clone()

    def restore(self, tensors):
        step = tensors.get("optimizer.step")
        if step is None:
            raise ExecutorError("BAD_CHECKPOINT", "the checkpoint has no 'optimizer.step'")
        self.step = int(step.reshape(-1)[0])
        for name, param, conversion in self.trainable:
            slots = {}
            for slot in slot_names(self.config):
                flat = tensors.get(f"optimizer.{name}.{slot}")
                if flat is None or flat.numel() != param.numel():
                    raise ExecutorError("BAD_CHECKPOINT", f"the checkpoint lacks 'optimizer.{name}.{slot}' for a {self.config['type']} optimizer with {param.numel()} values")
                slots[slot] = self.theirs(flat.float(), param, conversion)
            if self.config["type"] == "sgd":
                self.last_velocity[name] = slots["velocity"]
                if self.config["momentum"] > 0:
                    self.optimizer.state[param] = {"momentum_buffer": slots["velocity"]}
            else:
                self.optimizer.state[param] = {"step": torch.tensor(float(self.step)), "exp_avg": slots["m"], "exp_avg_sq": slots["v"]}

    def checkpoint(self, path=None):
        tensors = self.ns["cyxwiz_tensors"](self.model)
        for name, param, conversion in self.trainable:
            state = self.optimizer.state.get(param, {})
            if self.config["type"] == "sgd":
                velocity = state.get("momentum_buffer")
                if velocity is None:
                    velocity = self.last_velocity.get(name, torch.zeros_like(param))
                tensors[f"optimizer.{name}.velocity"] = self.ours(velocity, conversion)
            else:
                zeros = torch.zeros_like(param)
                tensors[f"optimizer.{name}.m"] = self.ours(state.get("exp_avg", zeros), conversion)
                tensors[f"optimizer.{name}.v"] = self.ours(state.get("exp_avg_sq", zeros), conversion)
        tensors["optimizer.step"] = torch.tensor(self.step, dtype=torch.int32)
        metadata = {**self.metadata, "kind": "checkpoint", "optimizer": json.dumps(self.config), "schedule": json.dumps(self.schedule)}
        data = save_safetensors(tensors, metadata=metadata)
        if path is None:
            return {"checkpoint": b64(data)}
        try:
            # Through a temporary file and a rename, so a reader never sees half a checkpoint.
            with open(path + ".partial", "wb") as file:
                file.write(data)
            os.replace(path + ".partial", path)
        except OSError as error:
            raise ExecutorError("CHECKPOINT_WRITE_FAILED", f"cannot write the checkpoint: {error.strerror}: {path}")
        return {"path": path, "bytes": len(data)}

    # --- batches ---

    def mask_for(self, module, count):
        fixed = self.fixed_masks.get(module.node_id)
        if fixed is not None:
            if fixed.numel() != count:
                raise ExecutorError("BAD_FEED", f"the mask for Dropout '{module.node_id}' has {fixed.numel()} values, expected {count}")
            return fixed
        return engine_mask(self.seed, self.step, module.salt, count, module.rate)

    def inputs(self, request):
        batch = request.get("batch")
        if not isinstance(batch, int) or batch < 1:
            raise ExecutorError("BAD_FEED", f"batch must be a whole number of at least 1 (got {batch!r})")
        given = request.get("inputs") or {}
        out = []
        for input_id, shape in self.ns["INPUT_SHAPES"].items():
            if input_id not in given:
                raise ExecutorError("BAD_FEED", f"no features were given for Input '{input_id}'")
            x = b64_tensor(given[input_id], torch.float32, f"features of '{input_id}'")
            if x.numel() != batch * math.prod(shape):
                raise ExecutorError("BAD_FEED", f"Input '{input_id}' got {x.numel()} values; {batch} examples of shape {list(shape)} need {batch * math.prod(shape)}")
            out.append(x.reshape(batch, *shape).to(self.device))
        return batch, out

    def outputs(self, inputs):
        result = self.model(*inputs)
        return result if isinstance(result, tuple) else (result,)

    def train_step(self, request):
        batch, inputs = self.inputs(request)
        labels = request.get("labels") or {}
        self.fixed_masks = {}
        for node_id, text in (request.get("masks") or {}).items():
            self.fixed_masks[node_id] = b64_tensor(text, torch.uint8, f"mask of '{node_id}'").to(torch.float32)
        self.model.train()
        self.optimizer.zero_grad(set_to_none=True)
        losses = {}
        # Training accuracy as the engine counts it: argmax hits of class-index losses.
        correct = 0
        counted = 0
        for (loss_id, loss_type, _source), output in zip(self.ns["OUTPUTS"], self.outputs(inputs)):
            labels_id, encoding = self.ns["LOSS_LABELS"][loss_id]
            if labels_id not in labels:
                raise ExecutorError("BAD_FEED", f"no labels were given for Labels '{labels_id}' (loss '{loss_id}')")
            if encoding == "class-index":
                target = b64_tensor(labels[labels_id], torch.int32, f"labels of '{labels_id}'").to(torch.int64)
                if target.numel() != batch:
                    raise ExecutorError("BAD_FEED", f"Labels '{labels_id}' got {target.numel()} values, expected {batch}")
                classes = output.shape[-1]
                if target.numel() and (int(target.min()) < 0 or int(target.max()) >= classes):
                    raise ExecutorError("BAD_FEED", f"Labels '{labels_id}' holds a class index outside [0, {classes})")
                target = target.to(self.device)
                losses[loss_id] = F.cross_entropy(output, target)
                correct += int((output.detach().argmax(-1) == target).sum())
                counted += batch
            else:
                target = b64_tensor(labels[labels_id], torch.float32, f"labels of '{labels_id}'")
                if target.numel() != output.numel():
                    raise ExecutorError("BAD_FEED", f"Labels '{labels_id}' got {target.numel()} values, expected {output.numel()}")
                losses[loss_id] = F.mse_loss(output, target.reshape(output.shape).to(self.device))
        total = sum(losses.values())
        total.backward()
        for _, param, _ in self.trainable:
            # A parameter the loss does not reach still takes its (zero-gradient) update, as in CyxWiz.
            if param.grad is None:
                param.grad = torch.zeros_like(param)
        want = request.get("want") or {}
        answer = {}
        if want.get("grads"):
            grads = {name: self.ns["_from_torch"](param.grad.detach().float().cpu(), conversion) for name, param, conversion in self.trainable}
            answer["grads"] = b64(save_safetensors(grads, metadata={"format": "cyxwiz", "kind": "gradients"}))
        lr = learning_rate_at(self.schedule, self.config["lr"], self.step)
        for group in self.optimizer.param_groups:
            group["lr"] = lr
        if self.config["type"] == "sgd" and self.config["momentum"] == 0:
            # torch keeps no buffer without momentum; CyxWiz's velocity is then this step's g + λ·p.
            self.last_velocity = {name: (p.grad + self.config["weightDecay"] * p).detach().clone() for name, p, _ in self.trainable}
        self.optimizer.step()
        self.step += 1
        if want.get("weights"):
            answer["weights"] = b64(save_safetensors(self.ns["cyxwiz_tensors"](self.model), metadata={"format": "cyxwiz", "kind": "weights"}))
        if counted:
            answer["correct"] = correct
            answer["counted"] = counted
        return {"loss": float(total), "losses": {k: float(v) for k, v in losses.items()}, "lr": lr, "step": self.step, **answer}

    def forward(self, request):
        _, inputs = self.inputs(request)
        self.model.eval()
        with torch.no_grad():
            results = self.outputs(inputs)
        outputs = {source: r.detach().float().cpu().contiguous() for (_, _, source), r in zip(self.ns["OUTPUTS"], results)}
        return {"outputs": b64(save_safetensors(outputs, metadata={"format": "cyxwiz", "kind": "outputs"}))}


def choose_device(wanted):
    if wanted == "cuda" and not torch.cuda.is_available():
        raise ExecutorError("NO_CUDA", "CUDA was asked for but torch.cuda.is_available() is false")
    if wanted == "auto":
        wanted = "cuda" if torch.cuda.is_available() else "cpu"
    return torch.device(wanted)


def main():
    wanted = sys.argv[1] if len(sys.argv) > 1 else "cpu"
    # Parity with the f32 WGSL kernels needs full-precision matmuls on CUDA too.
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    try:
        device = choose_device(wanted)
    except ExecutorError as error:
        emit({"ready": False, "error": {"code": error.code, "message": str(error)}})
        sys.exit(4)
    emit({"ready": True, "torch": torch.__version__, "device": str(device), "cuda": torch.cuda.is_available()})
    session = None
    for line in sys.stdin:
        if not line.strip():
            continue
        request_id = None
        try:
            try:
                request = json.loads(line)
            except ValueError as error:
                raise ExecutorError("BAD_REQUEST", f"a request line is not JSON: {error}")
            if not isinstance(request, dict):
                raise ExecutorError("BAD_REQUEST", "a request must be a JSON object")
            request_id = request.get("id")
            op = request.get("op")
            if op == "shutdown":
                emit({"id": request_id, "ok": True})
                return
            if op == "init":
                session = None
                session = Session(request, device)
                answer = {"trainable": [name for name, _, _ in session.trainable], "step": session.step}
            elif op in ("step", "forward", "checkpoint"):
                if session is None:
                    raise ExecutorError("NOT_INITIALISED", f"'{op}' needs an 'init' first")
                answer = session.train_step(request) if op == "step" else session.forward(request) if op == "forward" else session.checkpoint(request.get("path"))
            else:
                raise ExecutorError("BAD_REQUEST", f"unknown op {op!r}; expected init, step, forward, checkpoint or shutdown")
            emit({"id": request_id, "ok": True, **answer})
        except ExecutorError as error:
            emit({"id": request_id, "ok": False, "error": {"code": error.code, "message": str(error)}})
        except Exception as error:  # noqa: BLE001 - reported, and the process keeps serving
            traceback.print_exc(file=sys.stderr)
            emit({"id": request_id, "ok": False, "error": {"code": "EXECUTOR_FAILED", "message": f"{type(error).__name__}: {error}"}})


if __name__ == "__main__":
    main()
