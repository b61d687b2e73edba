// Words the catalogue is built from. Titles, descriptions and tags are assembled from a product's
// category (nouns, materials), brand, latent style (STYLE_WORDS, one pair per latent dimension) and
// quality (QUALITY_WORDS), so the text a model reads carries the same signal buyers respond to.

export interface LeafSpec {
  readonly leaf: string;
  readonly nouns: readonly string[];
  readonly materials: readonly string[];
  /** Typical (median) list price of the category, in the shop's currency. */
  readonly price: number;
  /** Bought again and again (coffee, treats, candles): repurchase habits form around these. */
  readonly consumable?: boolean;
}

export interface DepartmentSpec {
  readonly name: string;
  readonly leaves: readonly LeafSpec[];
}

const leaf = (name: string, nouns: string, materials: string, price: number, consumable = false): LeafSpec => ({
  leaf: name,
  nouns: nouns.split('|'),
  materials: materials.split('|'),
  price,
  consumable,
});

export const DEPARTMENTS: readonly DepartmentSpec[] = [
  { name: 'Kitchen', leaves: [
    leaf('Knives', "chef's knife|paring knife|bread knife|santoku", 'carbon steel|damascus steel|stainless steel', 55),
    leaf('Cookware', 'frying pan|saucepan|stockpot|skillet', 'cast iron|stainless steel|copper', 65),
    leaf('Bakeware', 'baking tray|loaf tin|cake pan|muffin tray', 'carbon steel|silicone|ceramic', 22),
    leaf('Utensils', 'spatula|whisk|ladle|tongs', 'silicone|beech wood|olive wood', 12),
    leaf('Coffee & Tea', 'pour-over dripper|teapot|milk frother|coffee grinder', 'porcelain|borosilicate glass|stainless steel', 38),
    leaf('Storage', 'food container|spice jar|bread bin|canister', 'glass|bamboo|tin', 18),
  ] },
  { name: 'Home', leaves: [
    leaf('Candles', 'scented candle|pillar candle|tealight set|candle tin', 'soy wax|beeswax|coconut wax', 16, true),
    leaf('Cushions', 'cushion|bolster|floor cushion|cushion cover', 'linen|velvet|wool', 28),
    leaf('Vases', 'vase|bud vase|jug|vessel', 'stoneware|glass|terracotta', 30),
    leaf('Wall Art', 'art print|poster|framed print|wall hanging', 'recycled paper|canvas|oak frame', 40),
    leaf('Rugs', 'rug|runner|doormat|bath mat', 'jute|wool|cotton', 85),
    leaf('Throws', 'throw|blanket|bedspread|quilt', 'merino wool|cotton|mohair', 60),
  ] },
  { name: 'Garden', leaves: [
    leaf('Planters', 'planter|plant pot|hanging planter|window box', 'terracotta|concrete|galvanised steel', 24),
    leaf('Garden Tools', 'trowel|pruner|garden fork|weeder', 'forged steel|ash wood|carbon steel', 26),
    leaf('Seeds', 'seed packet|seed collection|bulb set|herb kit', 'heirloom|organic|wildflower', 5, true),
    leaf('Bird Feeders', 'bird feeder|nest box|bird bath|suet feeder', 'cedar|recycled plastic|cast iron', 22),
    leaf('Outdoor Lighting', 'lantern|string lights|solar light|torch', 'brass|rattan|glass', 34),
    leaf('Watering', 'watering can|hose|spray nozzle|rain gauge', 'galvanised steel|copper|recycled plastic', 20),
  ] },
  { name: 'Beauty', leaves: [
    leaf('Skincare', 'face cream|serum|cleanser|face oil', 'rosehip|hyaluronic|shea butter', 24, true),
    leaf('Haircare', 'shampoo bar|conditioner|hair oil|hair mask', 'argan|coconut|rosemary', 14, true),
    leaf('Fragrance', 'eau de parfum|solid perfume|body mist|room spray', 'vetiver|neroli|sandalwood', 48),
    leaf('Bath', 'bath salts|bath bomb|soap bar|shower gel', 'lavender|eucalyptus|oatmeal', 9, true),
    leaf('Makeup', 'lip balm|tinted moisturiser|mascara|blush', 'mineral|vegan|beeswax', 18),
    leaf('Nail Care', 'nail polish|cuticle oil|nail file|hand cream', 'glass|almond oil|vegan', 10, true),
  ] },
  { name: 'Stationery', leaves: [
    leaf('Notebooks', 'notebook|sketchbook|journal|notepad', 'recycled paper|linen cover|leather cover', 14, true),
    leaf('Pens', 'fountain pen|rollerball|pencil set|fineliner set', 'brass|resin|cedar', 18),
    leaf('Planners', 'weekly planner|desk calendar|wall planner|diary', 'recycled paper|cloth bound|kraft', 20),
    leaf('Cards', 'greeting card|card set|gift wrap|gift tag', 'letterpress|recycled card|foil', 4, true),
    leaf('Art Supplies', 'watercolour set|brush set|ink|pastel set', 'sable|cotton paper|pigment', 26),
    leaf('Desk Accessories', 'desk tidy|letter tray|bookend|paperweight', 'walnut|brass|cork', 24),
  ] },
  { name: 'Toys', leaves: [
    leaf('Puzzles', 'jigsaw puzzle|3d puzzle|puzzle box|brain teaser', 'recycled card|birch plywood|wood', 20),
    leaf('Wooden Toys', 'stacking toy|pull-along toy|rattle|train set', 'beech wood|maple|birch', 28),
    leaf('Board Games', 'board game|card game|dice game|strategy game', 'cardboard|wood|linen', 32),
    leaf('Plush', 'teddy bear|plush rabbit|comforter|hand puppet', 'organic cotton|recycled fibre|alpaca', 22),
    leaf('Craft Kits', 'knitting kit|embroidery kit|clay kit|weaving kit', 'cotton|wool|air-dry clay', 25),
    leaf('Outdoor Play', 'kite|skipping rope|sand set|balance board', 'ripstop|beech wood|recycled plastic', 30),
  ] },
  { name: 'Pet', leaves: [
    leaf('Dog Toys', 'chew toy|rope toy|fetch ball|squeaky toy', 'natural rubber|hemp|felt', 12),
    leaf('Cat Toys', 'wand toy|catnip mouse|scratcher|ball track', 'felt|sisal|cardboard', 9),
    leaf('Pet Beds', 'dog bed|cat bed|pet mat|cave bed', 'memory foam|wool|corduroy', 55),
    leaf('Bowls', 'pet bowl|slow feeder|water fountain|travel bowl', 'ceramic|stainless steel|bamboo', 18),
    leaf('Treats', 'dog treats|cat treats|dental chews|training treats', 'grain-free|salmon|chicken', 8, true),
    leaf('Grooming', 'pet brush|pet shampoo|nail clipper|deshedding tool', 'bamboo|oatmeal|stainless steel', 14, true),
  ] },
  { name: 'Apparel', leaves: [
    leaf('Socks', 'socks|ankle socks|wool socks|sock set', 'merino|organic cotton|bamboo', 12, true),
    leaf('Scarves', 'scarf|snood|shawl|bandana', 'cashmere|silk|lambswool', 45),
    leaf('Hats', 'beanie|bucket hat|cap|sun hat', 'wool|canvas|straw', 24),
    leaf('Gloves', 'gloves|mittens|fingerless gloves|gardening gloves', 'leather|wool|cotton', 26),
    leaf('T-Shirts', 't-shirt|long-sleeve tee|vest|polo', 'organic cotton|linen|hemp', 28),
    leaf('Bags', 'tote bag|backpack|crossbody bag|pouch', 'canvas|leather|recycled nylon', 42),
  ] },
  { name: 'Food', leaves: [
    leaf('Coffee Beans', 'coffee beans|ground coffee|espresso blend|decaf blend', 'single-origin|fair-trade|organic', 12, true),
    leaf('Tea', 'loose leaf tea|tea bags|matcha|herbal infusion', 'organic|first flush|fair-trade', 9, true),
    leaf('Chocolate', 'chocolate bar|truffle box|hot chocolate|cocoa nibs', 'single-origin|dark|vegan', 7, true),
    leaf('Spices', 'spice blend|chilli flakes|peppercorns|saffron', 'organic|smoked|stone-ground', 6, true),
    leaf('Honey', 'raw honey|honeycomb|honey jar|manuka honey', 'wildflower|heather|acacia', 11, true),
    leaf('Snacks', 'granola|nut mix|crackers|dried fruit', 'organic|gluten-free|roasted', 6, true),
  ] },
  { name: 'Outdoor', leaves: [
    leaf('Water Bottles', 'water bottle|insulated bottle|sports bottle|kids bottle', 'stainless steel|glass|tritan', 24),
    leaf('Backpacks', 'daypack|hiking pack|rolltop pack|hip pack', 'recycled nylon|waxed canvas|ripstop', 70),
    leaf('Camping', 'camping mug|mess tin|headtorch|camp stove', 'enamel|titanium|aluminium', 30),
    leaf('Picnic', 'picnic blanket|picnic basket|cool bag|cutlery set', 'wool|wicker|bamboo', 36),
    leaf('Flasks', 'vacuum flask|food jar|travel mug|hip flask', 'stainless steel|copper|ceramic', 26),
    leaf('Hammocks', 'hammock|hanging chair|tree strap set|hammock stand', 'cotton|parachute nylon|larch', 65),
  ] },
  { name: 'Tech Accessories', leaves: [
    leaf('Phone Cases', 'phone case|wallet case|phone strap|grip', 'leather|cork|compostable', 25),
    leaf('Chargers', 'wall charger|power bank|wireless charger|car charger', 'aluminium|recycled plastic|fabric', 30),
    leaf('Cables', 'usb-c cable|lightning cable|cable set|cable organiser', 'braided nylon|silicone|leather', 12, true),
    leaf('Headphones', 'earbuds|headphones|earphone case|headphone stand', 'aluminium|wood|recycled plastic', 60),
    leaf('Stands', 'laptop stand|phone stand|tablet stand|monitor riser', 'aluminium|oak|bamboo', 38),
    leaf('Sleeves', 'laptop sleeve|tablet sleeve|tech pouch|cable roll', 'felt|waxed canvas|neoprene', 30),
  ] },
  { name: 'Wellness', leaves: [
    leaf('Yoga', 'yoga mat|yoga block|yoga strap|meditation cushion', 'natural rubber|cork|cotton', 35),
    leaf('Supplements', 'vitamin d|magnesium|omega-3|multivitamin', 'vegan|slow-release|plant-based', 15, true),
    leaf('Aromatherapy', 'essential oil|diffuser|pillow mist|roll-on blend', 'lavender|bergamot|ceramic', 18, true),
    leaf('Sleep', 'eye mask|silk pillowcase|sleep spray|weighted blanket', 'mulberry silk|cotton|glass beads', 32),
    leaf('Fitness', 'resistance band|kettlebell|jump rope|foam roller', 'natural latex|cast iron|eva foam', 28),
    leaf('Massage', 'massage ball|massage oil|gua sha|massage roller', 'rose quartz|jade|almond oil', 16),
  ] },
];

/** One word pair per latent dimension: [positive direction, negative direction]. */
export const STYLE_WORDS: readonly (readonly [string, string])[] = [
  ['minimalist', 'ornate'],
  ['rustic', 'modern'],
  ['colourful', 'muted'],
  ['eco-friendly', 'heavy-duty'],
  ['compact', 'family-size'],
  ['professional', 'beginner-friendly'],
  ['playful', 'elegant'],
  ['vintage', 'sleek'],
];

export const STYLE_SENTENCES: Readonly<Record<string, string>> = {
  minimalist: 'Clean lines and nothing you do not need.',
  ornate: 'Richly detailed, made to be looked at.',
  rustic: 'A warm, farmhouse feel with visible texture.',
  modern: 'A crisp, modern profile that suits new homes.',
  colourful: 'Bright colours that lift a room.',
  muted: 'Soft, muted tones that sit quietly with anything.',
  'eco-friendly': 'Made with low-impact materials and plastic-free packaging.',
  'heavy-duty': 'Built heavy-duty for daily, demanding use.',
  compact: 'Compact enough for small spaces and travel.',
  'family-size': 'Generously sized for the whole family.',
  professional: 'Trusted by professionals for serious work.',
  'beginner-friendly': 'Easy to start with, forgiving for beginners.',
  playful: 'A playful design that makes people smile.',
  elegant: 'Understated and elegant, a considered gift.',
  vintage: 'Inspired by vintage designs from the archive.',
  sleek: 'Sleek and streamlined from every angle.',
};

export const QUALITY_WORDS = {
  high: ['premium', 'hand-finished', 'award-winning', 'small-batch'],
  low: ['basic', 'value', 'everyday', 'budget'],
} as const;

export const QUALITY_SENTENCES = {
  high: 'Finished by hand and checked piece by piece; it is built to last for years.',
  mid: 'Solid quality for everyday use.',
  low: 'A simple, no-frills option at an easy price.',
} as const;

const BRAND_HEADS = [
  'North', 'Oak', 'Fern', 'Harbor', 'Silver', 'Copper', 'Wild', 'Blue', 'Maple', 'Stone', 'Bright', 'Little',
  'True', 'Hollow', 'Sun', 'Moss', 'Iron', 'Cedar', 'Willow', 'Red', 'Fox', 'Juniper', 'Heron', 'Ember',
];
const BRAND_TAILS = ['field', ' & Co', 'worth', 'wood', 'craft', 'line', 'works', 'house', 'leaf', 'bay', 'ridge', 'mill'];

/** The k-th brand name of a deterministic, collision-free sequence of 288 names. */
export function brandName(k: number): string {
  const head = BRAND_HEADS[k % BRAND_HEADS.length];
  const tail = BRAND_TAILS[Math.floor(k / BRAND_HEADS.length + k) % BRAND_TAILS.length];
  return head + tail;
}

export const COUNTRIES: readonly (readonly [string, number])[] = [
  ['GB', 0.38], ['US', 0.17], ['DE', 0.1], ['FR', 0.07], ['IE', 0.06], ['NL', 0.05], ['CA', 0.04], ['AU', 0.04],
  ['SE', 0.03], ['ES', 0.03], ['IT', 0.03],
];

export const SEGMENTS = ['consumer', 'business'] as const;
export type Segment = (typeof SEGMENTS)[number];
