"""The order state machine: every (status, action, actor) cell, parameters, events, refunds."""
from __future__ import annotations

import itertools
import uuid

import pytest

from domain.errors import Conflict, Forbidden, Invalid
from domain.order_machine import OrderAction, OrderStatus, allowed_actions, needs_refund
from domain.orders import DEADLINE_REASON, Order
from domain.roles import SYSTEM, Role

ACTORS = [*Role, SYSTEM]
OPS = {"sales", "tech"}

# Written out by hand from the design, independently of domain.order_machine.TRANSITIONS.
EXPECTED = {
    ("placed", "accept"): ("accepted", {"restaurateur"}),
    ("placed", "refuse"): ("refused", {"restaurateur", "system"}),
    ("placed", "edit"): ("placed", {"customer"}),
    ("placed", "cancel"): ("cancelled", {"customer", "sales", "tech"}),
    ("accepted", "start_preparing"): ("preparing", {"restaurateur"}),
    ("accepted", "cancel"): ("cancelled", OPS),
    ("preparing", "mark_ready"): ("ready", {"restaurateur"}),
    ("preparing", "cancel"): ("cancelled", OPS),
    ("ready", "pick_up"): ("picked_up", {"courier", "restaurateur"}),
    ("ready", "cancel"): ("cancelled", OPS),
    ("picked_up", "deliver"): ("delivered", {"courier"}),
    ("picked_up", "cancel"): ("cancelled", OPS),
}
EVENT = {
    "accept": "order.accepted", "refuse": "order.refused", "start_preparing": "order.preparing",
    "mark_ready": "order.ready", "pick_up": "order.picked_up", "deliver": "order.delivered",
    "cancel": "order.cancelled", "edit": "order.updated",
}
PARAMS = {"accept": {"prep_minutes": 20}, "refuse": {"reason": "Out of bread"}}


def order_in(status, seq=4):
    return Order(id=uuid.uuid4(), customer_id=uuid.uuid4(), restaurant_id=uuid.uuid4(), status=status, seq=seq)


CELLS = list(itertools.product(OrderStatus, OrderAction, ACTORS))


@pytest.mark.parametrize(("status", "action", "actor"), CELLS, ids=["-".join(map(str, c)) for c in CELLS])
def test_every_status_action_and_actor_cell_behaves_as_the_design_says(status, action, actor):
    order = order_in(status)
    cell = EXPECTED.get((str(status), str(action)))
    if cell is None:
        with pytest.raises(Conflict) as excinfo:
            order.apply(action, actor, **PARAMS.get(str(action), {}))
        assert excinfo.value.code == "illegal-transition"
        assert str(status) in excinfo.value.detail and str(action) in excinfo.value.detail
    elif str(actor) not in cell[1]:
        with pytest.raises(Forbidden):
            order.apply(action, actor, **PARAMS.get(str(action), {}))
    else:
        event = order.apply(action, actor, **PARAMS.get(str(action), {}))
        assert (order.status, order.seq) == (cell[0], 5)
        assert (event.type, event.seq) == (EVENT[str(action)], 5)
    if cell is None or str(actor) not in cell[1]:
        assert (order.status, order.seq) == (status, 4)


def test_the_walk_covers_eight_statuses_eight_actions_and_seven_actors():
    assert len(CELLS) == 8 * 8 * 7


def test_placing_an_order_records_the_created_event_as_seq_one():
    order, event = Order.place(uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), {"total_cents": 1500})
    assert (order.status, order.seq) == (OrderStatus.placed, 1)
    assert (event.type, event.seq, event.data["total_cents"]) == ("order.created", 1, 1500)


def test_a_whole_delivery_counts_its_events_without_gaps():
    order, _ = Order.place(uuid.uuid4(), uuid.uuid4(), uuid.uuid4())
    steps = [("accept", Role.restaurateur), ("start_preparing", Role.restaurateur), ("mark_ready", Role.restaurateur),
             ("pick_up", Role.courier), ("deliver", Role.courier)]
    events = [order.apply(action, actor, **PARAMS.get(action, {})) for action, actor in steps]
    assert [e.seq for e in events] == [2, 3, 4, 5, 6]
    assert order.status == OrderStatus.delivered


def test_accepting_records_the_preparation_time():
    order = order_in(OrderStatus.placed)
    event = order.apply(OrderAction.accept, Role.restaurateur, prep_minutes=25)
    assert order.prep_minutes == 25 and event.data["prep_minutes"] == 25


@pytest.mark.parametrize("minutes", [None, 0, 181, "20", True, 12.5])
def test_accepting_without_a_preparation_time_of_1_to_180_minutes_is_refused(minutes):
    order = order_in(OrderStatus.placed)
    with pytest.raises(Invalid) as excinfo:
        order.apply(OrderAction.accept, Role.restaurateur, prep_minutes=minutes)
    assert excinfo.value.errors[0]["field"] == "prep_minutes"
    assert (order.status, order.seq) == (OrderStatus.placed, 4)


def test_a_restaurant_must_give_a_reason_to_refuse():
    with pytest.raises(Invalid) as excinfo:
        order_in(OrderStatus.placed).apply(OrderAction.refuse, Role.restaurateur, reason="   ")
    assert excinfo.value.errors[0]["field"] == "reason"


def test_a_refusal_reason_longer_than_500_characters_is_refused():
    with pytest.raises(Invalid):
        order_in(OrderStatus.placed).apply(OrderAction.refuse, Role.restaurateur, reason="x" * 501)


def test_the_system_refuses_a_late_order_with_the_deadline_as_reason():
    order = order_in(OrderStatus.placed)
    event = order.apply(OrderAction.refuse, SYSTEM)
    assert event.data["reason"] == DEADLINE_REASON == order.reason
    assert event.data["actor"] == "system"


def test_a_cancellation_may_carry_a_trimmed_reason():
    event = order_in(OrderStatus.preparing).apply(OrderAction.cancel, Role.sales, reason=" Customer called ")
    assert event.data["reason"] == "Customer called"


def test_an_edit_keeps_the_status_and_carries_the_changes():
    order = order_in(OrderStatus.placed)
    event = order.apply(OrderAction.edit, Role.customer, changes={"total_cents": 2100})
    assert order.status == OrderStatus.placed
    assert (event.type, event.data["changes"]) == ("order.updated", {"total_cents": 2100})


def test_a_parameter_an_action_does_not_take_is_a_programming_error():
    with pytest.raises(TypeError):
        order_in(OrderStatus.accepted).apply(OrderAction.start_preparing, Role.restaurateur, prep_minutes=3)


def test_an_unknown_action_is_a_programming_error():
    with pytest.raises(ValueError):
        order_in(OrderStatus.placed).apply("teleport", Role.customer)


@pytest.mark.parametrize("status", list(OrderStatus))
def test_only_refused_and_cancelled_orders_need_a_refund(status):
    assert needs_refund(status) is (status in (OrderStatus.refused, OrderStatus.cancelled))


def test_an_unpaid_order_needs_no_refund():
    assert needs_refund(OrderStatus.cancelled, paid=False) is False
    assert order_in(OrderStatus.refused).refund_due


def test_allowed_actions_list_the_buttons_an_actor_may_press():
    assert set(allowed_actions(OrderStatus.placed, Role.customer)) == {OrderAction.edit, OrderAction.cancel}
    assert allowed_actions(OrderStatus.accepted, Role.customer) == []
    assert allowed_actions(OrderStatus.ready, Role.restaurateur) == [OrderAction.pick_up]
