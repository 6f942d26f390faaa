/** The start page: every built-in game with links to watch, play, play against, or train it. */
import './page.css';
import { observationSize } from '../../bridge/spec/BehaviorSpec.js';
import { builtInGames } from '../../sample-games/registry.js';
import { hasBuiltInView } from '../../sample-games/views.js';
import { hasOpponents } from '../play/GameSession.js';
import { fetchServerInfo } from '../play/ModelCatalog.js';
import { gamePagePath } from '../play/PageParams.js';
import { element } from './element.js';

const query = new URLSearchParams(location.search);
const info = await fetchServerInfo();
// Set when the trainer printed this page's URL, or when the trainer serves it: games can join it.
const trainer = query.get('trainer') ?? info.trainer;

const intro = document.getElementById('intro')!;
intro.textContent = trainer
  ? `A trainer is waiting at ${trainer}. Open a game whose behaviors it trains: every open page adds its areas to the run, and any page can be closed at any time.`
  : 'Watch a trained agent (the newest .onnx of its behavior under results/, or a file you drop on the page), play with the keyboard, or connect a page to a running `three-rl train`.';
if (info.livePlots) document.getElementById('links')!.append(element('a', { href: '/plots.html' }, ['live training plots']));

const list = document.getElementById('games')!;
for (const game of builtInGames) {
  const viewable = hasBuiltInView(game.name);
  const behaviors = game.behaviors.map((b) => {
    const obs = b.observations.reduce((s, o) => s + observationSize(o), 0);
    const acts = [b.actions.continuous > 0 ? `${b.actions.continuous} continuous` : '', b.actions.discrete.length > 0 ? `discrete [${b.actions.discrete.join(', ')}]` : '']
      .filter(Boolean)
      .join(' + ');
    return `${b.name}: ${obs} observations, ${acts}`;
  });
  const links: [string, string][] = [
    ['watch', gamePagePath({ game: game.name, mode: 'watch' })],
    ['play', gamePagePath({ game: game.name, mode: 'play' })],
    ...(hasOpponents(game) ? [['play against the agent', gamePagePath({ game: game.name, mode: 'versus' })] as [string, string]] : []),
    [trainer ? 'train here' : 'train', gamePagePath({ game: game.name, mode: 'train', ...(trainer ? { trainer } : {}) })],
  ];
  if (trainer) links.unshift(links.pop()!);
  list.append(
    element('li', { className: 'game-card', dataset: { game: game.name } }, [
      element('h2', {}, [game.name]),
      element('p', {}, [game.description]),
      element('div', { className: 'behaviors' }, behaviors.map((b) => element('div', {}, [b]))),
      viewable
        ? element('div', { className: 'actions' }, links.map(([text, href]) => element('a', { href }, [text])))
        : element('p', { className: 'muted' }, [`No view yet: it trains headless only (three-rl train <config> --env ${game.name}).`]),
    ]),
  );
}

