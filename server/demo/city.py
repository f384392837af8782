"""The demo city: real districts of Lyon and Villeurbanne, with real streets and their positions."""
from __future__ import annotations

import math
import random

import msgspec

CITY = "Lyon"
TIMEZONE = "Europe/Paris"
CENTRE = (45.7578, 4.8320)  # place Bellecour


class Street(msgspec.Struct, frozen=True):
    name: str
    lat: float
    lng: float


class District(msgspec.Struct, frozen=True):
    """A district, its postcode, a few of its streets, and how busy it is (restaurants' weight)."""

    name: str
    postcode: str
    streets: tuple[Street, ...]
    weight: int = 1


def _d(name: str, postcode: str, weight: int, *streets: tuple[str, float, float]) -> District:
    return District(name, postcode, tuple(Street(*s) for s in streets), weight)


DISTRICTS: tuple[District, ...] = (
    _d("Bellecour", "69002", 3, ("place Bellecour", 45.7578, 4.8320), ("rue Victor Hugo", 45.7552, 4.8292),
       ("rue de la République", 45.7612, 4.8358), ("rue Auguste Comte", 45.7545, 4.8276)),
    _d("Cordeliers", "69002", 2, ("place des Cordeliers", 45.7633, 4.8358), ("rue Mercière", 45.7622, 4.8322),
       ("rue Édouard Herriot", 45.7627, 4.8338)),
    _d("Terreaux", "69001", 3, ("place des Terreaux", 45.7675, 4.8337), ("rue d'Algérie", 45.7672, 4.8316),
       ("rue Sainte-Catherine", 45.7680, 4.8342), ("montée de la Grande-Côte", 45.7703, 4.8334)),
    _d("Croix-Rousse", "69004", 2, ("boulevard de la Croix-Rousse", 45.7745, 4.8306),
       ("Grande Rue de la Croix-Rousse", 45.7784, 4.8291), ("rue d'Austerlitz", 45.7756, 4.8326)),
    _d("Vieux Lyon", "69005", 2, ("rue Saint-Jean", 45.7624, 4.8274), ("rue du Bœuf", 45.7634, 4.8267),
       ("place Saint-Paul", 45.7661, 4.8272)),
    _d("Saint-Just", "69005", 1, ("rue de Trion", 45.7582, 4.8148), ("place de Trion", 45.7570, 4.8138)),
    _d("Ainay", "69002", 1, ("rue Sala", 45.7536, 4.8301), ("rue d'Auvergne", 45.7546, 4.8286),
       ("cours de Verdun", 45.7491, 4.8272)),
    _d("Confluence", "69002", 2, ("cours Charlemagne", 45.7432, 4.8186), ("quai Rambaud", 45.7411, 4.8155),
       ("place Nautique", 45.7425, 4.8172)),
    _d("Part-Dieu", "69003", 3, ("rue Servient", 45.7606, 4.8545), ("boulevard Vivier-Merle", 45.7601, 4.8614),
       ("rue Garibaldi", 45.7622, 4.8521), ("cours Lafayette", 45.7634, 4.8556)),
    _d("Brotteaux", "69006", 2, ("place Maréchal Lyautey", 45.7665, 4.8433), ("rue Vendôme", 45.7662, 4.8452),
       ("cours Vitton", 45.7714, 4.8532), ("place Jules Ferry", 45.7669, 4.8570)),
    _d("Guillotière", "69007", 3, ("place Gabriel Péri", 45.7546, 4.8431), ("rue de Marseille", 45.7506, 4.8411),
       ("Grande Rue de la Guillotière", 45.7494, 4.8478), ("cours Gambetta", 45.7531, 4.8467)),
    _d("Jean Macé", "69007", 2, ("place Jean Macé", 45.7451, 4.8421), ("avenue Berthelot", 45.7445, 4.8445),
       ("rue Chevreul", 45.7476, 4.8409)),
    _d("Gerland", "69007", 1, ("avenue Jean Jaurès", 45.7341, 4.8381), ("avenue Tony Garnier", 45.7291, 4.8302),
       ("rue de Gerland", 45.7306, 4.8379)),
    _d("Monplaisir", "69008", 2, ("place Ambroise Courtois", 45.7455, 4.8714),
       ("avenue des Frères Lumière", 45.7455, 4.8661), ("cours Albert Thomas", 45.7486, 4.8689)),
    _d("Montchat", "69003", 1, ("cours du Docteur Long", 45.7526, 4.8812), ("place du Château", 45.7563, 4.8878)),
    _d("Gratte-Ciel", "69100", 2, ("avenue Henri Barbusse", 45.7685, 4.8800), ("place Lazare Goujon", 45.7671, 4.8796),
       ("cours Émile Zola", 45.7711, 4.8789)),
    _d("Charpennes", "69100", 1, ("place Charles Hernu", 45.7705, 4.8634), ("rue Francis de Pressensé", 45.7692, 4.8661)),
    _d("Vaise", "69009", 1, ("place Valmy", 45.7741, 4.8056), ("rue de Bourgogne", 45.7762, 4.8048),
       ("Grande Rue de Vaise", 45.7771, 4.8076)),
)


def district_named(name: str) -> District:
    return next(d for d in DISTRICTS if d.name == name)


def jitter(rng: random.Random, lat: float, lng: float, metres: float) -> tuple[float, float]:
    """A point up to `metres` away, uniformly over the disc, rounded to about a metre."""
    distance = metres * math.sqrt(rng.random())
    angle = rng.random() * 2 * math.pi
    dlat = distance * math.cos(angle) / 111_320
    dlng = distance * math.sin(angle) / (111_320 * math.cos(math.radians(lat)))
    return round(lat + dlat, 5), round(lng + dlng, 5)


def address_in(rng: random.Random, district: District, spread_m: float = 150) -> tuple[str, float, float]:
    """A street address of the district and a position along that street."""
    street = rng.choice(district.streets)
    lat, lng = jitter(rng, street.lat, street.lng, spread_m)
    city = "Villeurbanne" if district.postcode == "69100" else CITY
    return f"{rng.randint(1, 120)} {street.name}, {district.postcode} {city}", lat, lng
