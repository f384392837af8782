"""The live wire formats: room messages on Redis, and the bit of RESP the subscriber reads."""
from server.live import wire
from realtime import resp


def test_an_event_message_carries_its_seq_and_the_socket_event_arguments():
    message = wire.event_message("order.updated", wire.encode_payload({"seq": 7}), 7)
    assert message[0] == wire.EVENT
    assert wire.parse_event(message) == (7, '["order.updated",{"seq":7}]')


def test_control_messages_say_what_to_do_with_the_rooms_sockets():
    assert wire.control_message(wire.JOIN, "restaurant:1") == b"Jrestaurant:1"
    assert wire.control_message(wire.DISCONNECT)[0] == wire.DISCONNECT


def test_replies_are_parsed_only_once_they_are_complete():
    reply = bytearray(b"*3\r\n$7\r\nmessage\r\n$4\r\nroom\r\n$5\r\nhello\r\n")
    for cut in range(len(reply)):
        assert resp.parse(reply[:cut], 0) is None
    assert resp.parse(reply, 0) == ([b"message", b"room", b"hello"], len(reply))


def test_integers_errors_and_simple_strings_are_told_apart():
    assert resp.parse(bytearray(b":3\r\n"), 0) == (3, 4)
    assert resp.parse(bytearray(b"+PONG\r\n"), 0) == (b"PONG", 7)
    error, _ = resp.parse(bytearray(b"-WRONGPASS nope\r\n"), 0)
    assert isinstance(error, resp.ReplyError)


def test_commands_are_arrays_of_bulk_strings():
    assert resp.command(b"SUBSCRIBE", "a") == b"*2\r\n$9\r\nSUBSCRIBE\r\n$1\r\na\r\n"


def test_addresses_cover_tcp_tls_and_unix_sockets_with_credentials():
    assert resp.address("redis://u:p%40ss@h:7000/2") == {
        "host": "h", "port": 7000, "ssl": False, "username": "u", "password": "p@ss"}
    assert resp.address("rediss://h")["ssl"] is True
    assert resp.address("unix:///tmp/r.sock")["unix"] == "/tmp/r.sock"
