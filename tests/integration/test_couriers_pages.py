"""The courier app's page and the map tiles: public tiles in production only."""
import msgspec

from web.pages_courier import LOCAL_TILE, OSM_TILES, tile_settings


async def test_the_courier_app_is_served_in_french_with_its_switch(client):
    response = await client.get("/courier")
    html = await response.text()
    assert response.status == 200
    assert 'role="switch"' in html and "Hors ligne" in html
    assert "/static/vendor/leaflet/dist/leaflet.js" in html


async def test_outside_production_the_maps_use_a_local_tile_and_make_no_outside_request(client):
    script = await (await client.get("/courier/map-config.js")).text()
    assert LOCAL_TILE in script and "openstreetmap" not in script
    assert (await client.get(LOCAL_TILE)).status == 200


def test_production_uses_public_tiles_unless_a_tile_server_is_set(settings):
    production = msgspec.structs.replace(settings, env="production")
    assert tile_settings(production)["tile_url"] == OSM_TILES
    own = msgspec.structs.replace(production, tile_url="https://tiles.example.fr/{z}/{x}/{y}.png")
    assert tile_settings(own)["tile_url"] == "https://tiles.example.fr/{z}/{x}/{y}.png"
