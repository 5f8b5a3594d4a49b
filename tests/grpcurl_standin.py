"""A stand-in for grpcurl with the flags and output the bootstrap script uses (grpcurl is not
installable here): `-plaintext -protoset FILE -max-time S -d JSON ADDRESS package.Service/Method`.

Like grpcurl it reads the service from the descriptor set, sends the JSON body as the request,
prints the reply as indented JSON with camelCase names and default values left out, and exits
non-zero on a failed call (64 + the status code, 1 when it cannot connect).
"""

from __future__ import annotations

import sys
from typing import Any

import grpc  # type: ignore[import-untyped]  # grpcio ships no type stubs
from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory


def main(argv: list[str]) -> int:
    options: dict[str, str] = {}
    rest: list[str] = []
    words = iter(argv)
    for word in words:
        if word == "-plaintext":
            continue
        if word in ("-protoset", "-max-time", "-d"):
            options[word] = next(words)
        else:
            rest.append(word)
    address, target = rest
    service, method = target.rsplit("/", 1)
    with open(options["-protoset"], "rb") as protoset:
        files = descriptor_pb2.FileDescriptorSet.FromString(protoset.read())
    pool = descriptor_pool.DescriptorPool()
    for file in files.file:
        pool.Add(file)
    described = pool.FindServiceByName(service).FindMethodByName(method)
    request_class: Any = message_factory.GetMessageClass(described.input_type)
    reply_class: Any = message_factory.GetMessageClass(described.output_type)
    request = json_format.Parse(options.get("-d", "{}"), request_class())
    with grpc.insecure_channel(address) as channel:
        call = channel.unary_unary(
            f"/{service}/{method}",
            request_serializer=lambda m: m.SerializeToString(),
            response_deserializer=reply_class.FromString,
        )
        try:
            reply = call(request, timeout=float(options.get("-max-time", "10")))
        except grpc.RpcError as error:
            code: grpc.StatusCode = error.code()
            print(f"ERROR:\n  Code: {code.name}\n  Message: {error.details()}", file=sys.stderr)
            return 1 if code == grpc.StatusCode.UNAVAILABLE else 64 + code.value[0]
    print(json_format.MessageToJson(reply, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
