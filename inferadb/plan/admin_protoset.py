"""The AdminService subset (inferadb/facts/ledger_admin.py) as a compiled descriptor set.

grpcurl reads it with `-protoset`, so the bootstrap Job needs neither Ledger's reflection nor the
upstream proto file; the tests load the same bytes to build the loopback server's messages.
"""

from __future__ import annotations

from typing import Any

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

from inferadb.facts.ledger_admin import (
    CLUSTER_MEMBER_ROLES,
    MESSAGES,
    METHODS,
    PACKAGE,
    REGION_NUMBERS,
    SERVICE,
    region_enum,
)

FILE_NAME = "inferadb/ledger_admin.proto"
_TYPES = {
    "uint64": descriptor_pb2.FieldDescriptorProto.TYPE_UINT64,
    "string": descriptor_pb2.FieldDescriptorProto.TYPE_STRING,
    "bool": descriptor_pb2.FieldDescriptorProto.TYPE_BOOL,
    "enum": descriptor_pb2.FieldDescriptorProto.TYPE_ENUM,
    "message": descriptor_pb2.FieldDescriptorProto.TYPE_MESSAGE,
}
_LABELS = {
    "optional": descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL,
    "repeated": descriptor_pb2.FieldDescriptorProto.LABEL_REPEATED,
}


def admin_file() -> descriptor_pb2.FileDescriptorProto:
    file = descriptor_pb2.FileDescriptorProto(name=FILE_NAME, package=PACKAGE, syntax="proto3")
    for enum_name, values in (
        ("Region", {region_enum(slug): n for slug, n in REGION_NUMBERS.items()}),
        ("ClusterMemberRole", CLUSTER_MEMBER_ROLES),
    ):
        enum = file.enum_type.add(name=enum_name)
        for value_name, number in values.items():
            enum.value.add(name=value_name, number=number)
    for message_name, fields in MESSAGES.items():
        message = file.message_type.add(name=message_name)
        for field_name, number, kind, label, type_name in fields:
            field = message.field.add(name=field_name, number=number, type=_TYPES[kind], label=_LABELS[label])
            field.json_name = _camel(field_name)
            if type_name is not None:
                field.type_name = f".{PACKAGE}.{type_name}"
    service = file.service.add(name=SERVICE)
    for method, (request, response) in METHODS.items():
        service.method.add(name=method, input_type=f".{PACKAGE}.{request}", output_type=f".{PACKAGE}.{response}")
    return file


def protoset() -> bytes:
    """The FileDescriptorSet grpcurl's `-protoset` reads: deterministic bytes for a given definition."""
    return descriptor_pb2.FileDescriptorSet(file=[admin_file()]).SerializeToString(deterministic=True)


def message_classes() -> dict[str, Any]:
    """The request and response classes of every method (and ClusterMember), built from the same
    descriptors the Job ships: what a Python client or a stand-in server of the AdminService uses."""
    pool = descriptor_pool.DescriptorPool()
    pool.Add(admin_file())
    names = {name for pair in METHODS.values() for name in pair} | {"ClusterMember"}
    return {name: message_factory.GetMessageClass(pool.FindMessageTypeByName(f"{PACKAGE}.{name}")) for name in names}


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(part.capitalize() for part in rest)
