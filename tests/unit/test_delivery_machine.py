import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest

from domain.delivery import Delivery, DeliveryAction, DeliveryStatus, allowed_actions
from domain.errors import Conflict, Forbidden, Invalid

COURIER, OTHER_COURIER = uuid.uuid4(), uuid.uuid4()
AT = datetime(2024, 5, 17, 12, 30, tzinfo=UTC)
STATUSES = ["searching", "assigned", "picked_up", "delivered", "failed", "cancelled"]
ACTIONS = ["assign", "pick_up", "deliver", "fail", "cancel", "release"]
ACTORS = ["customer", "restaurateur", "courier", "developer", "sales", "tech", "system"]

# Written out by hand from the product rules, not derived from the code's table.
ALLOWED = {
    ("searching", "assign", "system"): "assigned",
    ("assigned", "pick_up", "courier"): "picked_up",
    ("assigned", "pick_up", "restaurateur"): "picked_up",
    ("picked_up", "deliver", "courier"): "delivered",
    ("searching", "fail", "system"): "failed", ("searching", "fail", "sales"): "failed",
    ("searching", "fail", "tech"): "failed", ("assigned", "fail", "system"): "failed",
    ("assigned", "fail", "sales"): "failed", ("assigned", "fail", "tech"): "failed",
    ("assigned", "release", "courier"): "searching", ("assigned", "release", "system"): "searching",
}
for _status in ["searching", "assigned", "picked_up"]:
    for _actor in ["system", "sales", "tech"]:
        ALLOWED[(_status, "cancel", _actor)] = "cancelled"


def _delivery(status: str = "assigned", courier_id: uuid.UUID | None = COURIER) -> Delivery:
    return Delivery(uuid.uuid4(), uuid.uuid4(), DeliveryStatus(status), courier_id, seq=3)


def _legal_for_someone(status: str, action: str) -> bool:
    return any(s == status and a == action for (s, a, _) in ALLOWED)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("status", STATUSES)
def test_every_status_action_and_actor_cell_matches_the_rules(status, action, actor):
    delivery = _delivery(status, None if status == "searching" else COURIER)
    call = lambda: delivery.apply(action, actor, by=COURIER, courier_id=OTHER_COURIER, at=AT)  # noqa: E731
    target = ALLOWED.get((status, action, actor))
    if target is not None:
        event = call()
        assert (delivery.status, event.type, delivery.seq) == (target, f"delivery.{target}", 4)
    else:
        expected = Forbidden if _legal_for_someone(status, action) else Conflict
        with pytest.raises(expected) as caught:
            call()
        assert type(caught.value) is expected
        assert (delivery.status, delivery.seq) == (status, 3)


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("actor", ACTORS)
def test_the_actions_offered_to_a_screen_are_exactly_the_allowed_ones(status, actor):
    expected = [a for a in ACTIONS if (status, a, actor) in ALLOWED]
    assert allowed_actions(DeliveryStatus(status), actor) == expected


def test_an_illegal_transition_is_a_conflict_with_its_code():
    with pytest.raises(Conflict) as caught:
        _delivery("delivered").apply("cancel", "sales")
    assert caught.value.code == "illegal-transition"


def test_opening_a_delivery_starts_the_search_with_a_first_event():
    delivery, event = Delivery.open(uuid.uuid4(), uuid.uuid4(), AT)
    assert (delivery.status, delivery.courier_id, delivery.seq) == ("searching", None, 1)
    assert (event.type, event.seq, event.at, event.actor) == ("delivery.searching", 1, AT, "system")


def test_assigning_records_the_courier_in_the_delivery_and_the_event():
    delivery = _delivery("searching", None)
    event = delivery.apply(DeliveryAction.assign, "system", courier_id=COURIER, at=AT)
    assert delivery.courier_id == COURIER
    assert (event.data["courier_id"], event.delivery_id, event.order_id) == (
        str(COURIER), delivery.id, delivery.order_id)


def test_assigning_without_a_courier_is_invalid_and_changes_nothing():
    delivery = _delivery("searching", None)
    with pytest.raises(Invalid):
        delivery.apply("assign", "system", at=AT)
    assert (delivery.status, delivery.seq) == ("searching", 3)


@pytest.mark.parametrize("action, status", [("pick_up", "assigned"), ("deliver", "picked_up"), ("release", "assigned")])
def test_a_courier_cannot_act_on_a_delivery_assigned_to_someone_else(action, status):
    delivery = _delivery(status)
    for by in (OTHER_COURIER, None):
        with pytest.raises(Forbidden) as caught:
            delivery.apply(action, "courier", by=by, at=AT)
        assert caught.value.code == "not-your-delivery"
    assert delivery.status == status


def test_releasing_puts_the_delivery_back_in_search_without_a_courier():
    delivery = _delivery("assigned")
    event = delivery.apply("release", "courier", by=COURIER, at=AT)
    assert (delivery.status, delivery.courier_id) == ("searching", None)
    assert (event.type, event.data["courier_id"]) == ("delivery.searching", str(COURIER))


def test_each_event_carries_the_next_sequence_number_and_the_reason_given():
    delivery = _delivery("searching", None)
    first = delivery.apply("assign", "system", courier_id=COURIER, at=AT)
    second = delivery.apply("cancel", "sales", reason="restaurant closed", at=AT)
    assert (first.seq, second.seq) == (4, 5)
    assert second.data["reason"] == "restaurant closed"


def test_event_times_are_kept_in_utc_and_naive_times_are_refused():
    paris = timezone(timedelta(hours=2))
    event = _delivery().apply("pick_up", "restaurateur", at=datetime(2024, 5, 17, 14, 30, tzinfo=paris))
    assert event.at == AT and event.at.tzinfo is UTC
    delivery = _delivery()
    with pytest.raises(ValueError):
        delivery.apply("pick_up", "restaurateur", at=datetime(2024, 5, 17, 12, 30))
    assert (delivery.status, delivery.seq) == ("assigned", 3)
