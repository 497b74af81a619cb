import type { CouponKind, OrderStatus, ProductStatus, Role } from '../generated/client';

// Demo data for local development and tests. Prices are EUR minor units (cents).

export interface CategorySeed {
  slug: string;
  name: string;
  parent?: string;
}

export interface ProductSeed {
  sku: string;
  name: string;
  category: string;
  price: number;
  stock: number;
  description: string;
  status?: ProductStatus;
}

export interface UserSeed {
  email: string;
  name: string;
  /** DEV-ONLY password, printed by the seed. Never reuse these outside a local/test database. */
  password: string;
  roles: Role[];
}

export interface CouponSeed {
  code: string;
  description: string;
  kind: CouponKind;
  value: number;
  currency?: string;
  minSubtotalAmount?: number;
  maxRedemptions?: number;
  perUserLimit?: number;
  startsAt?: Date;
  expiresAt?: Date;
  /** Created switched off (an admin can switch it on; later seeds leave that alone). */
  disabled?: boolean;
}

export interface OrderSeed {
  /** Stable key the order's id derives from. */
  key: string;
  user: string;
  status: OrderStatus;
  createdAt: Date;
  coupon?: string;
  items: Array<[sku: string, quantity: number]>;
}

export interface ReviewSeed {
  user: string;
  sku: string;
  rating: number;
  title: string;
  body: string;
  createdAt: Date;
}

export interface NotificationSeed {
  key: string;
  user: string;
  kind: string;
  title: string;
  body: string;
  createdAt: Date;
  read: boolean;
}

export const CURRENCY = 'EUR';

export const CATEGORIES: CategorySeed[] = [
  { slug: 'electronics', name: 'Electronics' },
  { slug: 'audio', name: 'Audio', parent: 'electronics' },
  { slug: 'computers', name: 'Computers & Accessories', parent: 'electronics' },
  { slug: 'phones-wearables', name: 'Phones & Wearables', parent: 'electronics' },
  { slug: 'home-kitchen', name: 'Home & Kitchen' },
  { slug: 'cookware', name: 'Cookware & Kitchen Tools', parent: 'home-kitchen' },
  { slug: 'coffee-tea', name: 'Coffee & Tea', parent: 'home-kitchen' },
  { slug: 'home-decor', name: 'Home Decor', parent: 'home-kitchen' },
  { slug: 'sports-outdoors', name: 'Sports & Outdoors' },
  { slug: 'camping-hiking', name: 'Camping & Hiking', parent: 'sports-outdoors' },
  { slug: 'cycling', name: 'Cycling', parent: 'sports-outdoors' },
  { slug: 'fitness', name: 'Fitness', parent: 'sports-outdoors' },
  { slug: 'books', name: 'Books' },
  { slug: 'fiction', name: 'Fiction', parent: 'books' },
  { slug: 'cookbooks', name: 'Cookbooks', parent: 'books' },
  { slug: 'technology-books', name: 'Technology', parent: 'books' },
];

export const PRODUCTS: ProductSeed[] = [
  {
    sku: 'ELE-AUD-001',
    category: 'audio',
    name: 'Aria Wireless Noise-Cancelling Headphones',
    price: 17900,
    stock: 34,
    description:
      'Over-ear Bluetooth 5.3 headphones with adaptive noise cancelling, 35-hour battery life and a fold-flat travel case.',
  },
  {
    sku: 'ELE-AUD-002',
    category: 'audio',
    name: 'Pulse Mini Bluetooth Speaker',
    price: 4900,
    stock: 120,
    description:
      'Palm-sized waterproof (IPX7) speaker with 12 hours of playback and a clip-on strap for bikes and backpacks.',
  },
  {
    sku: 'ELE-AUD-003',
    category: 'audio',
    name: 'Studio Monitor Earbuds',
    price: 8900,
    stock: 3,
    description:
      'True wireless earbuds with a flat, studio-style tuning, three sizes of memory-foam tips and a USB-C charging case.',
  },
  {
    sku: 'ELE-AUD-004',
    category: 'audio',
    name: 'Belt-Drive Turntable with Preamp',
    price: 24900,
    stock: 0,
    description:
      'Two-speed (33/45 rpm) turntable with a die-cast aluminium platter, switchable phono preamp and dust cover.',
  },
  {
    sku: 'ELE-AUD-005',
    category: 'audio',
    name: 'Soundbar 2.1 with Wireless Subwoofer',
    price: 29900,
    stock: 12,
    description: '240 W soundbar with a wireless subwoofer, HDMI eARC, night mode and a dedicated dialogue channel.',
  },
  {
    sku: 'ELE-CMP-001',
    category: 'computers',
    name: 'Tenkeyless Mechanical Keyboard, Brown Switches',
    price: 11900,
    stock: 45,
    description:
      'Aluminium-frame keyboard with hot-swappable tactile switches, PBT keycaps and a detachable USB-C cable.',
  },
  {
    sku: 'ELE-CMP-002',
    category: 'computers',
    name: 'Ergonomic Wireless Mouse',
    price: 5900,
    stock: 80,
    description: 'Sculpted right-hand mouse with a silent scroll wheel, three-device switching and 70 days per charge.',
  },
  {
    sku: 'ELE-CMP-003',
    category: 'computers',
    name: '27" 4K IPS Monitor',
    price: 38900,
    stock: 9,
    description: '27-inch UHD panel covering 98% DCI-P3, USB-C with 90 W power delivery and a height-adjustable stand.',
  },
  {
    sku: 'ELE-CMP-004',
    category: 'computers',
    name: 'USB-C Docking Station, 11-in-1',
    price: 13900,
    stock: 2,
    description: 'Dual HDMI, gigabit Ethernet, SD/microSD readers, four USB ports and 100 W pass-through charging.',
  },
  {
    sku: 'ELE-CMP-005',
    category: 'computers',
    name: 'Adjustable Aluminium Laptop Stand',
    price: 3900,
    stock: 150,
    description:
      'Folding stand with six height settings that lifts 10–17" laptops to eye level; packs flat for travel.',
  },
  {
    sku: 'ELE-CMP-006',
    category: 'computers',
    name: 'USB 2.0 Hub, 4 Ports',
    price: 1500,
    stock: 0,
    status: 'ARCHIVED',
    description: 'Compact four-port USB 2.0 hub. Discontinued: replaced by the 11-in-1 docking station.',
  },
  {
    sku: 'ELE-PHN-001',
    category: 'phones-wearables',
    name: 'Fitness Tracker Band',
    price: 6900,
    stock: 60,
    description: 'Slim tracker with heart-rate and sleep monitoring, 5 ATM water resistance and a 14-day battery.',
  },
  {
    sku: 'ELE-PHN-002',
    category: 'phones-wearables',
    name: 'Smartwatch Active 2, 44 mm',
    price: 27900,
    stock: 18,
    description: 'AMOLED smartwatch with built-in GPS, contactless payments and more than 100 workout modes.',
  },
  {
    sku: 'ELE-PHN-003',
    category: 'phones-wearables',
    name: 'Magnetic Power Bank 10,000 mAh',
    price: 4500,
    stock: 6,
    description: 'Snap-on magnetic battery pack with 15 W wireless charging and a USB-C port for a second device.',
  },
  {
    sku: 'ELE-PHN-004',
    category: 'phones-wearables',
    name: 'Braided USB-C Cable, 2 m (2-pack)',
    price: 1900,
    stock: 300,
    description: 'Nylon-braided USB-C to USB-C cables rated for 100 W charging and 10,000+ bends.',
  },
  {
    sku: 'HOM-KIT-001',
    category: 'cookware',
    name: 'Cast Iron Skillet, 28 cm',
    price: 4900,
    stock: 40,
    description: 'Pre-seasoned cast iron pan for searing, baking and campfire cooking; works on induction.',
  },
  {
    sku: 'HOM-KIT-002',
    category: 'cookware',
    name: "Chef's Knife, 20 cm Damascus Steel",
    price: 8900,
    stock: 15,
    description: '67-layer Damascus steel blade with a VG-10 core, hand-finished edge and a pakkawood handle.',
  },
  {
    sku: 'HOM-KIT-003',
    category: 'cookware',
    name: 'Stainless Saucepan Set (3 pieces)',
    price: 9900,
    stock: 22,
    description: '16, 18 and 20 cm tri-ply saucepans with glass lids; dishwasher and oven safe to 260 °C.',
  },
  {
    sku: 'HOM-KIT-004',
    category: 'cookware',
    name: 'Large Bamboo Cutting Board',
    price: 2900,
    stock: 4,
    description: '45 × 30 cm end-grain bamboo board with a juice groove and non-slip feet.',
  },
  {
    sku: 'HOM-COF-001',
    category: 'coffee-tea',
    name: 'Pour-Over Coffee Kit',
    price: 4400,
    stock: 35,
    description: 'Glass dripper, 600 ml carafe, gooseneck scoop and 100 paper filters for two to four cups.',
  },
  {
    sku: 'HOM-COF-002',
    category: 'coffee-tea',
    name: 'Conical Burr Coffee Grinder',
    price: 12900,
    stock: 11,
    description: 'Steel conical burrs with 40 grind settings, from espresso to French press, and a low-static chamber.',
  },
  {
    sku: 'HOM-COF-003',
    category: 'coffee-tea',
    name: 'Espresso Beans, Ethiopia Single Origin (1 kg)',
    price: 2600,
    stock: 90,
    description: 'Medium-roast washed Yirgacheffe beans with notes of blueberry, jasmine and dark chocolate.',
  },
  {
    sku: 'HOM-COF-004',
    category: 'coffee-tea',
    name: 'Loose-Leaf Green Tea Sampler',
    price: 1800,
    stock: 55,
    description: 'Six 50 g tins: sencha, gyokuro, genmaicha, jasmine pearls, dragon well and hojicha.',
  },
  {
    sku: 'HOM-COF-005',
    category: 'coffee-tea',
    name: 'Stovetop Espresso Maker, 6 Cups',
    price: 3400,
    stock: 9,
    description: 'Classic aluminium moka pot with a heat-resistant handle and a safety valve.',
  },
  {
    sku: 'HOM-DEC-001',
    category: 'home-decor',
    name: 'Linen Cushion Cover, Sage, 50 × 50 cm',
    price: 2400,
    stock: 70,
    description: 'Stonewashed European linen cover with a hidden zip; softens with every wash.',
  },
  {
    sku: 'HOM-DEC-002',
    category: 'home-decor',
    name: 'Ceramic Table Lamp',
    price: 7900,
    stock: 13,
    description: 'Hand-glazed ceramic base with a natural linen shade and a warm-white E27 bulb included.',
  },
  {
    sku: 'HOM-DEC-003',
    category: 'home-decor',
    name: 'Wool Blend Throw Blanket',
    price: 5900,
    stock: 5,
    description: '130 × 170 cm herringbone throw in a soft wool and cotton blend, finished with tassels.',
  },
  {
    sku: 'HOM-DEC-004',
    category: 'home-decor',
    name: 'Soy Wax Candle, Cedar & Fig',
    price: 1900,
    stock: 140,
    description: 'Hand-poured soy candle with a cotton wick and about 45 hours of burn time.',
  },
  {
    sku: 'OUT-CAM-001',
    category: 'camping-hiking',
    name: 'Ultralight 2-Person Tent',
    price: 24900,
    stock: 8,
    description: 'Freestanding three-season tent at 1.4 kg with two doors, two vestibules and a 3,000 mm fly.',
  },
  {
    sku: 'OUT-CAM-002',
    category: 'camping-hiking',
    name: 'Down Sleeping Bag, −5 °C',
    price: 18900,
    stock: 14,
    description: '700-fill responsibly sourced down mummy bag with a draft collar; packs to the size of a loaf.',
  },
  {
    sku: 'OUT-CAM-003',
    category: 'camping-hiking',
    name: 'Carbon Trekking Poles (pair)',
    price: 8900,
    stock: 25,
    description: 'Three-section carbon poles with cork grips, quick locks and interchangeable tips; 220 g each.',
  },
  {
    sku: 'OUT-CAM-004',
    category: 'camping-hiking',
    name: 'Rechargeable Headlamp, 400 Lumen',
    price: 3500,
    stock: 1,
    description: 'IPX4 headlamp with red night mode, lock-out switch and USB-C charging.',
  },
  {
    sku: 'OUT-CAM-005',
    category: 'camping-hiking',
    name: 'Insulated Water Bottle, 750 ml',
    price: 2900,
    stock: 200,
    description: 'Double-wall stainless steel bottle: cold for 24 hours, hot for 12; leak-proof lid.',
  },
  {
    sku: 'OUT-CYC-001',
    category: 'cycling',
    name: 'Road Cycling Helmet with MIPS',
    price: 11900,
    stock: 16,
    description: 'Lightweight helmet with rotational impact protection, 18 vents and a magnetic buckle.',
  },
  {
    sku: 'OUT-CYC-002',
    category: 'cycling',
    name: 'LED Bike Light Set',
    price: 3900,
    stock: 65,
    description: '800-lumen front and 100-lumen rear lights, StVZO-compliant beam, USB-C rechargeable.',
  },
  {
    sku: 'OUT-CYC-003',
    category: 'cycling',
    name: 'Mini Floor Pump with Gauge',
    price: 3400,
    stock: 0,
    description: 'Compact pump reaching 11 bar with a reversible Presta/Schrader head and an in-line gauge.',
  },
  {
    sku: 'OUT-CYC-004',
    category: 'cycling',
    name: 'Padded Cycling Shorts',
    price: 5400,
    stock: 30,
    description: 'Eight-panel shorts with an Italian chamois, silicone leg grippers and reflective details.',
  },
  {
    sku: 'OUT-FIT-001',
    category: 'fitness',
    name: 'Natural Rubber Yoga Mat, 6 mm',
    price: 6900,
    stock: 42,
    description: 'Grippy natural-rubber mat with a polyurethane top layer and alignment lines; 183 × 68 cm.',
  },
  {
    sku: 'OUT-FIT-002',
    category: 'fitness',
    name: 'Adjustable Dumbbells, 2 × 24 kg',
    price: 34900,
    stock: 3,
    description: 'Dial-select dumbbells replacing 15 pairs, from 2.5 to 24 kg, with a storage tray.',
  },
  {
    sku: 'OUT-FIT-003',
    category: 'fitness',
    name: 'Resistance Bands Set (5 levels)',
    price: 2400,
    stock: 95,
    description: 'Five latex-free loop bands from extra light to extra heavy, with a carry bag and exercise guide.',
  },
  {
    sku: 'OUT-FIT-004',
    category: 'fitness',
    name: 'High-Density Foam Roller',
    price: 2900,
    stock: 38,
    description: '45 cm textured roller for deep-tissue massage and warm-ups; holds its shape under heavy use.',
  },
  {
    sku: 'BOO-FIC-001',
    category: 'fiction',
    name: "The Lighthouse Keeper's Daughter (Paperback)",
    price: 1299,
    stock: 60,
    description: 'A family saga spanning three generations on a storm-bound island off the Breton coast.',
  },
  {
    sku: 'BOO-FIC-002',
    category: 'fiction',
    name: 'Cities of Glass (Hardcover)',
    price: 2450,
    stock: 25,
    description:
      'A literary mystery in which an architect retraces her missing brother through the buildings he designed.',
  },
  {
    sku: 'BOO-FIC-003',
    category: 'fiction',
    name: 'Midnight on the Northern Line (Paperback)',
    price: 1099,
    stock: 0,
    description: 'A locked-carriage whodunit aboard the last sleeper train from Edinburgh to London.',
  },
  {
    sku: 'BOO-FIC-004',
    category: 'fiction',
    name: "The Cartographer's Garden (Hardcover)",
    price: 2299,
    stock: 18,
    description: 'Letters, maps and a neglected garden reveal a love story hidden in nineteenth-century Lisbon.',
  },
  {
    sku: 'BOO-COO-001',
    category: 'cookbooks',
    name: 'Salt, Smoke & Fire: Outdoor Cooking',
    price: 2999,
    stock: 20,
    description: '120 recipes for grills, smokers and open fires, with techniques for every season.',
  },
  {
    sku: 'BOO-COO-002',
    category: 'cookbooks',
    name: 'Everyday Mediterranean',
    price: 2499,
    stock: 33,
    description: 'Simple weeknight dishes from Greece, Italy, Spain and the Levant, most ready in 30 minutes.',
  },
  {
    sku: 'BOO-COO-003',
    category: 'cookbooks',
    name: 'The Sourdough Handbook',
    price: 1999,
    stock: 4,
    description: 'From keeping a starter alive to shaping an open-crumb loaf, step by photographed step.',
  },
  {
    sku: 'BOO-TEC-001',
    category: 'technology-books',
    name: 'Building Reliable Distributed Systems',
    price: 4999,
    stock: 28,
    description: 'Replication, consensus, idempotency and the outbox pattern, explained with production case studies.',
  },
  {
    sku: 'BOO-TEC-002',
    category: 'technology-books',
    name: 'GraphQL Federation in Practice',
    price: 3999,
    stock: 17,
    description: 'Designing subgraphs, entities and a supergraph that several teams can evolve independently.',
  },
  {
    sku: 'BOO-TEC-003',
    category: 'technology-books',
    name: 'PostgreSQL Internals Explained',
    price: 4499,
    stock: 12,
    description: 'MVCC, WAL, the planner and indexes, with the queries to see each of them at work.',
  },
  {
    sku: 'BOO-TEC-004',
    category: 'technology-books',
    name: 'Practical TypeScript',
    price: 3499,
    stock: 2,
    description: 'Type-driven design for backend services: strict mode, generics and narrowing without the ceremony.',
  },
];

// DEV-ONLY credentials: they are public (README, seed output) and exist only in local and test databases.
export const USERS: UserSeed[] = [
  { email: 'customer@minishop.dev', name: 'Casey Customer', password: 'customer123!', roles: ['customer'] },
  { email: 'admin@minishop.dev', name: 'Alex Admin', password: 'admin123!', roles: ['admin'] },
  { email: 'ops@minishop.dev', name: 'Olivia Ops', password: 'ops123!', roles: ['ops'] },
  { email: 'maria.schmidt@minishop.dev', name: 'Maria Schmidt', password: 'customer123!', roles: ['customer'] },
  { email: 'liam.dubois@minishop.dev', name: 'Liam Dubois', password: 'customer123!', roles: ['customer'] },
  { email: 'sofia.rossi@minishop.dev', name: 'Sofia Rossi', password: 'customer123!', roles: ['customer'] },
];

export const COUPONS: CouponSeed[] = [
  { code: 'WELCOME10', kind: 'PERCENT', value: 10, description: '10% off your first order', perUserLimit: 1 },
  {
    code: 'SAVE5',
    kind: 'FIXED',
    value: 500,
    currency: CURRENCY,
    minSubtotalAmount: 2500,
    perUserLimit: 3,
    description: '€5 off orders of €25 or more',
  },
  {
    code: 'BIGSPENDER20',
    kind: 'FIXED',
    value: 2000,
    currency: CURRENCY,
    minSubtotalAmount: 15000,
    maxRedemptions: 100,
    description: '€20 off orders of €150 or more, first 100 orders only',
  },
  {
    code: 'SUMMER15',
    kind: 'PERCENT',
    value: 15,
    expiresAt: new Date('2025-09-01T00:00:00Z'),
    description: 'Summer sale: 15% off everything (expired)',
  },
  {
    code: 'NEWYEAR2030',
    kind: 'PERCENT',
    value: 30,
    startsAt: new Date('2030-01-01T00:00:00Z'),
    expiresAt: new Date('2030-01-08T00:00:00Z'),
    description: 'New year 2030: 30% off during the first week of January (scheduled)',
  },
  {
    code: 'STAFF50',
    kind: 'PERCENT',
    value: 50,
    perUserLimit: 5,
    disabled: true,
    description: 'Staff discount: 50% off (disabled)',
  },
];

export const ORDERS: OrderSeed[] = [
  {
    key: 'customer-1',
    user: 'customer@minishop.dev',
    status: 'DELIVERED',
    createdAt: new Date('2025-10-03T09:14:00Z'),
    coupon: 'WELCOME10',
    items: [
      ['ELE-AUD-001', 1],
      ['ELE-PHN-004', 2],
    ],
  },
  {
    key: 'customer-2',
    user: 'customer@minishop.dev',
    status: 'SHIPPED',
    createdAt: new Date('2025-11-12T18:41:00Z'),
    items: [
      ['HOM-COF-001', 1],
      ['HOM-COF-003', 2],
    ],
  },
  {
    key: 'maria-1',
    user: 'maria.schmidt@minishop.dev',
    status: 'DELIVERED',
    createdAt: new Date('2025-09-20T07:02:00Z'),
    coupon: 'SAVE5',
    items: [
      ['OUT-FIT-001', 1],
      ['OUT-FIT-003', 1],
      ['OUT-FIT-004', 1],
    ],
  },
  {
    key: 'liam-1',
    user: 'liam.dubois@minishop.dev',
    status: 'DELIVERED',
    createdAt: new Date('2025-08-28T12:30:00Z'),
    items: [
      ['HOM-KIT-001', 1],
      ['HOM-KIT-002', 1],
      ['HOM-KIT-004', 1],
      ['BOO-COO-002', 1],
    ],
  },
  {
    key: 'sofia-1',
    user: 'sofia.rossi@minishop.dev',
    status: 'DELIVERED',
    createdAt: new Date('2025-07-15T16:05:00Z'),
    coupon: 'BIGSPENDER20',
    items: [
      ['OUT-CAM-001', 1],
      ['OUT-CAM-003', 1],
      ['OUT-CAM-004', 1],
      ['OUT-CAM-005', 2],
    ],
  },
];

// Every review is by a customer who bought the product in ORDERS.
export const REVIEWS: ReviewSeed[] = [
  {
    user: 'customer@minishop.dev',
    sku: 'ELE-AUD-001',
    rating: 5,
    title: 'Silence on the commute',
    createdAt: new Date('2025-10-20T20:00:00Z'),
    body: 'The noise cancelling is superb on trains and the battery easily lasts a week of commuting.',
  },
  {
    user: 'customer@minishop.dev',
    sku: 'ELE-PHN-004',
    rating: 4,
    title: 'Fast, sturdy cables',
    createdAt: new Date('2025-10-21T08:30:00Z'),
    body: 'Sturdy cables that charge my laptop at full speed. The 2 m length is handy on the sofa.',
  },
  {
    user: 'customer@minishop.dev',
    sku: 'HOM-COF-001',
    rating: 5,
    title: 'A clean, bright cup',
    createdAt: new Date('2025-11-25T07:45:00Z'),
    body: 'Makes a clean, bright cup. The carafe feels solid and the filters are a good fit.',
  },
  {
    user: 'customer@minishop.dev',
    sku: 'HOM-COF-003',
    rating: 4,
    title: 'Great for pour-over',
    createdAt: new Date('2025-11-26T07:50:00Z'),
    body: 'Lovely fruity notes as a pour-over; a little too light for my taste as espresso.',
  },
  {
    user: 'maria.schmidt@minishop.dev',
    sku: 'OUT-FIT-001',
    rating: 5,
    title: 'Grips even in hot yoga',
    createdAt: new Date('2025-10-02T06:15:00Z'),
    body: 'No slipping even in hot yoga. It smelled of rubber for a few days, then the smell was gone.',
  },
  {
    user: 'maria.schmidt@minishop.dev',
    sku: 'OUT-FIT-003',
    rating: 3,
    title: 'Good bands, one rolls up',
    createdAt: new Date('2025-10-02T06:20:00Z'),
    body: 'Good range of resistance, but the lightest band rolled up on me during squats.',
  },
  {
    user: 'maria.schmidt@minishop.dev',
    sku: 'OUT-FIT-004',
    rating: 4,
    title: 'Works the knots out',
    createdAt: new Date('2025-10-05T19:10:00Z'),
    body: 'Firm enough to actually work the knots out. Great after long runs.',
  },
  {
    user: 'liam.dubois@minishop.dev',
    sku: 'HOM-KIT-001',
    rating: 5,
    title: 'Perfect sear, oven-safe',
    createdAt: new Date('2025-09-10T18:00:00Z'),
    body: 'Perfect sear on steaks and it went straight into the oven. The seasoning only gets better.',
  },
  {
    user: 'liam.dubois@minishop.dev',
    sku: 'HOM-KIT-002',
    rating: 4,
    title: 'Razor sharp and balanced',
    createdAt: new Date('2025-09-10T18:05:00Z'),
    body: 'Razor sharp out of the box and beautifully balanced. Needs drying right away to avoid spots.',
  },
  {
    user: 'liam.dubois@minishop.dev',
    sku: 'HOM-KIT-004',
    rating: 3,
    title: 'Large but warps a little',
    createdAt: new Date('2025-09-12T09:40:00Z'),
    body: 'Nice and large, but it warped slightly after a month. Oil it often.',
  },
  {
    user: 'liam.dubois@minishop.dev',
    sku: 'BOO-COO-002',
    rating: 5,
    title: 'Every recipe worked',
    createdAt: new Date('2025-09-15T21:00:00Z'),
    body: 'Every recipe we tried worked the first time. The lemon chicken traybake is now a weekly staple.',
  },
  {
    user: 'sofia.rossi@minishop.dev',
    sku: 'OUT-CAM-001',
    rating: 4,
    title: 'Quick to pitch, stays dry',
    createdAt: new Date('2025-08-02T10:00:00Z'),
    body: 'Pitched it alone in five minutes and it stayed dry through a night of rain. A bit snug for two.',
  },
  {
    user: 'sofia.rossi@minishop.dev',
    sku: 'OUT-CAM-003',
    rating: 5,
    title: 'Light and stiff',
    createdAt: new Date('2025-08-02T10:05:00Z'),
    body: 'Light, stiff and the locks never slipped on a week in the Dolomites.',
  },
  {
    user: 'sofia.rossi@minishop.dev',
    sku: 'OUT-CAM-004',
    rating: 5,
    title: 'Bright and comfortable',
    createdAt: new Date('2025-08-03T21:30:00Z'),
    body: 'Bright, comfortable and the red mode keeps the whole campsite friendly.',
  },
  {
    user: 'sofia.rossi@minishop.dev',
    sku: 'OUT-CAM-005',
    rating: 5,
    title: 'Ice all day long',
    createdAt: new Date('2025-08-04T08:00:00Z'),
    body: 'Ice still rattling after a full day in the car. Bought the second one for my partner.',
  },
];

export const NOTIFICATIONS: NotificationSeed[] = [
  {
    key: 'customer-welcome',
    user: 'customer@minishop.dev',
    kind: 'account.welcome',
    title: 'Welcome to minishop',
    body: 'Use code WELCOME10 for 10% off your first order.',
    createdAt: new Date('2025-10-01T10:00:00Z'),
    read: true,
  },
  {
    key: 'customer-1-delivered',
    user: 'customer@minishop.dev',
    kind: 'order.status_changed',
    title: 'Your order was delivered',
    body: 'Your order with the Aria headphones was delivered. Enjoy!',
    createdAt: new Date('2025-10-07T14:22:00Z'),
    read: true,
  },
  {
    key: 'customer-2-shipped',
    user: 'customer@minishop.dev',
    kind: 'order.status_changed',
    title: 'Your order has shipped',
    body: 'Your coffee order is on its way and should arrive in 2–3 working days.',
    createdAt: new Date('2025-11-13T09:03:00Z'),
    read: false,
  },
  {
    key: 'maria-1-delivered',
    user: 'maria.schmidt@minishop.dev',
    kind: 'order.status_changed',
    title: 'Your order was delivered',
    body: 'Your fitness order was delivered. Tell us what you think!',
    createdAt: new Date('2025-09-23T11:40:00Z'),
    read: false,
  },
];
