"""The live wire formats: room messages on Redis, and the bit of RESP the subscriber reads."""
import pytest
from engineio import packet as eio_packet

from realtime import resp
from realtime.engine import text_event
from realtime.packets import EventMessage, websocket_frame
from server.live import wire


def test_an_event_message_carries_its_seq_and_the_socket_event_arguments():
    message = wire.event_message("order.updated", wire.encode_payload({"seq": 7}), 7)
    assert message[0] == wire.EVENT
    assert wire.parse_event(message) == (7, b'["order.updated",{"seq":7}]')


def test_control_messages_say_what_to_do_with_the_rooms_sockets():
    assert wire.control_message(wire.JOIN, "restaurant:1") == b"Jrestaurant:1"
    assert wire.control_message(wire.DISCONNECT)[0] == wire.DISCONNECT


def test_replies_are_handed_over_only_once_they_are_complete():
    reply = b"*3\r\n$7\r\nmessage\r\n$4\r\nroom\r\n$5\r\nhello\r\n"
    replies = resp.Replies()
    assert [replies.feed(reply[i:i + 1]) for i in range(len(reply) - 1)] == [[]] * (len(reply) - 1)
    assert replies.feed(reply[-1:]) == [[b"message", b"room", b"hello"]]


def test_several_replies_in_one_read_come_out_in_order():
    assert resp.Replies().feed(b":3\r\n+PONG\r\n$-1\r\n$2\r\nhi\r\n") == [3, b"PONG", None, b"hi"]


def test_an_error_reply_is_a_reply_error_not_a_raise():
    (error,) = resp.Replies().feed(b"-WRONGPASS nope\r\n")
    assert isinstance(error, resp.ReplyError) and "WRONGPASS" in str(error)


def test_commands_are_arrays_of_bulk_strings():
    assert resp.command(b"SUBSCRIBE", "a") == b"*2\r\n$9\r\nSUBSCRIBE\r\n$1\r\na\r\n"


def test_addresses_cover_tcp_tls_and_unix_sockets_with_credentials():
    assert resp.address("redis://u:p%40ss@h:7000/2") == {
        "host": "h", "port": 7000, "ssl": False, "username": "u", "password": "p@ss"}
    assert resp.address("rediss://h")["ssl"] is True
    assert resp.address("unix:///tmp/r.sock")["unix"] == "/tmp/r.sock"


def test_a_client_event_is_read_with_its_ack_id_and_arguments():
    assert text_event('212["gps",{"lat":48.85,"lng":2.35}]') == (12, ["gps", {"lat": 48.85, "lng": 2.35}])
    assert text_event('2["availability",{"online":true},3]') == (None, ["availability", {"online": True}, 3])


@pytest.mark.parametrize("packet", [
    '0{"token":"t"}',             # CONNECT
    '3["ok"]',                    # an ACK
    '2/admin,["gps",{}]',         # another namespace
    '51-["gps",{"_placeholder":true,"num":0}]',  # binary attachments follow
    '2["gps",{"lat":',            # cut short
    '2[]', '2[12,"x"]', '2{"name":"gps"}',
    b'2["gps"]',                  # not text
])
def test_any_other_packet_is_left_to_python_socketio(packet):
    assert text_event(packet) is None


def _unframe(frame: bytes) -> tuple[int, bytes]:
    """(opcode byte, payload) of one unmasked websocket frame, read as RFC 6455 5.2 says."""
    size, start = frame[1], 2
    if size == 126:
        size, start = int.from_bytes(frame[2:4], "big"), 4
    elif size == 127:
        size, start = int.from_bytes(frame[2:10], "big"), 10
    assert len(frame) == start + size
    return frame[0], frame[start:]


@pytest.mark.parametrize("size", [1, 30, 200, 40_000])  # 7-bit, 16-bit and 64-bit lengths
def test_a_room_event_goes_out_as_the_frame_and_text_python_socketio_would_make(size):
    arguments = wire.event_arguments("courier.location", wire.encode_payload({"note": "é" * size}))
    ours = EventMessage(arguments)
    theirs = eio_packet.Packet(eio_packet.MESSAGE, "2" + arguments.decode())
    assert websocket_frame(ours) == websocket_frame(theirs)
    assert _unframe(websocket_frame(ours)) == (0x81, b"42" + arguments)
    assert ours.encode() == theirs.encode() == "42" + arguments.decode()  # what a long poll gets
